from django.core import checks

from .oc4ids import PREFIX_PATTERN, identifier_prefix


@checks.register()
def oc4ids_prefix(app_configs, **kwargs):
    """OC4IDS project ids must start with a registered prefix: "oc4ids-" and six lower-case letters or digits."""
    if PREFIX_PATTERN.match(identifier_prefix()):
        return []
    return [checks.Warning(
        f"FAIMS_OC4IDS_PREFIX {identifier_prefix()!r} is not an OC4IDS project identifier prefix "
        "('oc4ids-' and six lower-case letters or digits).",
        hint="Use the prefix the OC4IDS helpdesk registered for the publisher.",
        id="faims.opendata.W001",
    )]
