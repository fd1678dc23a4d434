"""Understanding: page views to the plan (tables) and the narrative (prose).

``table/`` locates the 施策計画 table, reads its grids with an engine,
stitches them over pages and interprets programs, measures and results;
``prose/`` reads the narrative; ``sections`` splits reports holding
several plans; ``quantities`` finds counted numbers in every text;
``accounting`` checks that no character was lost; ``document`` runs it
all for one document.
"""
