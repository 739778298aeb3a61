"""The network's vocabulary of organisations and roles, free of any model.

The models store these values and the base policy decides with them; keeping them here lets the
policy be imported by the models (``MarkedQuerySet.visible_to``) without an import cycle.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    MEMBER_STATE = "MEMBER_STATE", _("Member State")
    UN_ENTITY = "UN_ENTITY", _("UN entity")
    INTERNATIONAL = "INTERNATIONAL", _("International organisation")
    REGIONAL = "REGIONAL", _("Regional organisation")
    CIVIL_SOCIETY = "CIVIL_SOCIETY", _("Civil-society organisation")
    TECH_COMPANY = "TECH_COMPANY", _("Technology company")


# Organisations whose members form the "network community" that TLP:GREEN material reaches.
# Civil-society organisations and technology companies see only what is published for them.
COMMUNITY_KINDS = frozenset(
    {OrgKind.MEMBER_STATE, OrgKind.UN_ENTITY, OrgKind.INTERNATIONAL, OrgKind.REGIONAL}
)


class UNGroup(models.TextChoices):
    AFRICAN = "AFRICAN", _("African Group")
    ASIA_PACIFIC = "ASIA_PACIFIC", _("Asia-Pacific Group")
    EASTERN_EUROPEAN = "EASTERN_EUROPEAN", _("Eastern European Group")
    LATIN_AMERICAN_CARIBBEAN = "LATIN_AMERICAN_CARIBBEAN", _("Latin American and Caribbean Group")
    WESTERN_EUROPEAN_OTHERS = "WESTERN_EUROPEAN_OTHERS", _("Western European and Others Group")


class Role(models.TextChoices):
    SECRETARIAT = "SECRETARIAT", _("Network secretariat")
    NATIONAL_COORDINATOR = "NATIONAL_COORDINATOR", _("National coordinator")
    OFFICER = "OFFICER", _("Officer")
    ENTITY_FOCAL_POINT = "ENTITY_FOCAL_POINT", _("Entity focal point")
    CSO_MEMBER = "CSO_MEMBER", _("Civil-society member")
    PLATFORM_MEMBER = "PLATFORM_MEMBER", _("Platform member")
    OVERSIGHT = "OVERSIGHT", _("Oversight (data protection)")
