from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import NoticeEmail, OrgKind, Role, UNGroup
from ctnet.core.timezones import zone_choices


class Sections:
    """A long form shown in sections, each a fieldset with its legend (``form_fields.html``).

    ``sections`` names the fields of each; a field no section names (one added later) is shown
    in a last section, "Other", so that nothing is ever left off the page.
    """

    sections: tuple[tuple[str | Promise, tuple[str, ...]], ...] = ()

    def fieldsets(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        form: forms.BaseForm = self  # type: ignore[assignment]
        named = {name for _legend, names in self.sections for name in names}
        found = [
            (legend, [form[name] for name in names if name in form.fields])
            for legend, names in self.sections
        ]
        rest = [form[name] for name in form.fields if name not in named]
        if rest:
            found.append((_("Other"), rest))
        return [(legend, fields) for legend, fields in found if fields]


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=512)


class OTPForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorForm(OTPForm):
    """At sign-in, the code may also be one of the person's recovery codes (8 letters and
    digits, as django-otp's static tokens are made), for a lost or broken phone."""

    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{8})\s*$",
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=512)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        required=False,
        help_text=_("Dates and times are shown in this zone; UTC when none is chosen."),
    )


class NoticeEmailForm(forms.Form):
    notice_email = forms.ChoiceField(
        label=_("Notices by e-mail"),
        choices=NoticeEmail.choices,
        widget=forms.RadioSelect,
        help_text=_("Every notice also appears under Notifications, whatever you choose here."),
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    read_only = forms.BooleanField(label=_("Read-only"), required=False, initial=True)
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=90,
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9._-]{3,150}$",
        error_messages={"invalid": _("3 to 150 letters, digits, dots, dashes or underscores.")},
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=512)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *OrgKind.choices], required=False
    )
    un_group = forms.ChoiceField(
        label=_("Regional group"),
        choices=[("", _("All groups")), *UNGroup.choices],
        required=False,
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=64, required=False)
    actor = forms.CharField(label=_("Who"), max_length=150, required=False)
    object_type = forms.CharField(label=_("Object type"), max_length=64, required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    since = forms.DateTimeField(label=_("From"), required=False)
    until = forms.DateTimeField(label=_("Until"), required=False)
