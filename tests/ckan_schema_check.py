"""Validate a ckan_package.json with CKAN's own package_create schema.

Run with an interpreter that has ``ckan`` installed (kept apart from the
test venv: ckan registers pytest plugins that start a whole CKAN app):

    python tests/ckan_schema_check.py < ckan_package.json

Prints a JSON object: ``errors`` (CKAN's error dict, empty when valid),
``licenses`` (the ids of CKAN's default licence register) and ``replaced``
(the validators swapped out).  No database: the validators that query one
(is the name free? does the organization exist?) are replaced by stand-ins
that check what can be checked without one, so everything else is CKAN's
code unchanged.
"""

import json
import sys

import ckan.logic.schema as schema
import ckan.logic.validators as validators
from ckan.common import config
from ckan.lib.navl.dictization_functions import Invalid, missing, validate
from ckan.model.license import LicenseRegister

config.setdefault("ckan.auth.create_unowned_dataset", False)


def name_is_free(key, data, errors, context):
    """Stand-in for package_name_validator: the name's form, not its uniqueness."""
    validators.name_validator(data[key], context)


def organization_given(key, data, errors, context):
    """Stand-in for owner_org_validator: a default CKAN (create_unowned_dataset
    false) refuses a dataset without an organization."""
    value = data.get(key, missing)
    if value is missing or not value:
        raise Invalid("An organization must be provided")
    validators.name_validator(value, context)  # organization names follow the same rule


REPLACED = {"package_name_validator": name_is_free, "owner_org_validator": organization_given}


def swap(node):
    if isinstance(node, dict):
        return {k: swap(v) for k, v in node.items()}
    if isinstance(node, list):
        return [REPLACED.get(getattr(f, "__name__", ""), f) for f in node]
    return node


def main() -> None:
    body = json.load(sys.stdin)
    package_schema = swap(schema.default_create_package_schema())
    context = {"user": "", "auth_user_obj": None, "ignore_auth": True, "schema_keys": list(package_schema)}
    data, errors = validate(body, package_schema, context)
    licenses = [lic.id for lic in LicenseRegister().licenses]
    json.dump({"errors": errors, "licenses": licenses, "replaced": sorted(REPLACED),
               "dropped": sorted(set(body) - set(data))}, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
