from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ctnet.core"
    label = "core"
    verbose_name = "ctnet core"

    def ready(self) -> None:
        from ctnet.core import labels
        from ctnet.core.markings import TLP, Handling, InformationGrade, SourceGrade
        from ctnet.core.roles import OrgKind, Role, UNGroup
        from ctnet.core.topics import TOPICS

        labels.register_enums("core", TLP, Handling, SourceGrade, InformationGrade)
        labels.register_enums("core", OrgKind, Role, UNGroup)
        labels.register("core.topics", TOPICS)
        labels.register_detail_keys(
            {
                "why": _("Reason"),
                "reason": _("Reason"),
                "ids": _("Identifiers"),
                "id": _("Identifier"),
                "count": _("Number"),
                "n": _("Number"),
                "format": _("Format"),
                "method": _("Method"),
                "username": _("Username"),
                "from": _("Changed from"),
                "to": _("Changed to"),
                "before": _("Before"),
                "created": _("Created"),
                "people": _("People"),
                "via": _("Through"),
                "filters": _("Filters"),
                "tlp": _("Marking"),
                "handling": _("Handling codes"),
                "recipients": _("Recipients"),
                "source": _("Source"),
                "purpose": _("Purpose"),
            }
        )
