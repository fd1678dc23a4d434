(function () {
  'use strict';
  var status = document.getElementById('status');
  function ids(el, attr) { return (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean); }
  function clear() {
    document.querySelectorAll('.hl').forEach(function (e) { e.classList.remove('hl'); });
  }
  function toFront(region) {
    // SVG paints in document order: lift the region above its neighbours.
    if (region instanceof SVGElement && region.parentNode) region.parentNode.appendChild(region);
  }
  function selectRow(row, scroll) {
    clear();
    row.classList.add('hl');
    var first = null;
    ids(row, 'data-target').forEach(function (id) {
      var r = document.getElementById(id);
      if (r) { r.classList.add('hl'); toFront(r); first = first || r; }
    });
    if (first && scroll) first.scrollIntoView({block: 'center', inline: 'nearest'});
    status.textContent = (row.getAttribute('data-label') || row.id) + ' → ' + ids(row, 'data-target').join(', ');
  }
  function selectRegion(region) {
    clear();
    region.classList.add('hl');
    toFront(region);
    var rows = ids(region, 'data-rows'), first = null;
    rows.forEach(function (id) {
      var r = document.getElementById(id);
      if (r) { r.classList.add('hl'); first = first || r; }
    });
    if (first) first.scrollIntoView({block: 'nearest', inline: 'nearest'});
    status.textContent = region.id + ': ' + (rows.length ? rows.length + ' row(s)' : 'no extracted row');
  }
  document.addEventListener('click', function (e) {
    var row = e.target.closest('[data-target]');
    if (row && !row.matches('svg *')) { selectRow(row, true); return; }
    var region = e.target.closest('[data-rows]');
    if (region) { selectRegion(region); return; }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target.matches('[data-target]')) selectRow(e.target, true);
  });
  function fromHash() {
    var el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!el) return;
    if (el.hasAttribute('data-target')) selectRow(el, true);
    else if (el.hasAttribute('data-rows')) selectRegion(el);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
  window.sesakuAudit = {selectRow: selectRow, selectRegion: selectRegion};
})();
