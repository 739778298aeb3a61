from django.urls import include, path
from django.views.i18n import set_language

from ctnet.api import api
from ctnet.core.views import auth, notifications, pages, picker

urlpatterns = [
    path("healthz", pages.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", pages.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("login/otp/", auth.login_otp_view, name="login-otp"),
    path("logout/", auth.logout_view, name="logout"),
    path("account/otp/setup/", auth.otp_setup_view, name="otp-setup"),
    path("account/confirm/", auth.sudo_view, name="sudo"),
    path("account/", pages.profile, name="profile"),
    path("account/tokens/", pages.token_create, name="token-create"),
    path("account/notices/", notifications.notice_email, name="notice-email"),
    path("notifications/", notifications.notifications_page, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications-read-all",
    ),
    path("account/recovery-codes/", pages.recovery_codes, name="recovery-codes"),
    path("account/tokens/<int:token_id>/revoke/", pages.token_revoke, name="token-revoke"),
    path("organisations/", pages.organisations, name="organisations"),
    path("organisations/pick/", picker.organisation_picker, name="organisation-picker"),
    path("organisations/<int:org_id>/", pages.organisation_detail, name="organisation"),
    path("organisations/<int:org_id>/invite/", pages.invite, name="invite"),
    path("members/<int:membership_id>/role/", pages.member_role, name="member-role"),
    path("members/<int:membership_id>/remove/", pages.member_deactivate, name="member-remove"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        pages.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invite/<str:secret>/", pages.accept_invitation, name="accept-invitation"),
    path("audit/", pages.audit_log, name="audit"),
    path("directory/", include("ctnet.directory.urls")),
    path("hashes/", include("ctnet.hashes.urls")),
    path("practices/", include("ctnet.practices.urls")),
    path("exchange/", include("ctnet.exchange.urls")),
    path("screening/", include("ctnet.screening.urls")),
    path("coordination/", include("ctnet.coordination.urls")),
    path("consultations/", include("ctnet.consultations.urls")),
    path("monitoring/", include("ctnet.monitoring.urls")),
]

handler400 = "ctnet.core.views.errors.bad_request"
handler403 = "ctnet.core.views.errors.forbidden"
handler404 = "ctnet.core.views.errors.not_found"
handler500 = "ctnet.core.views.errors.server_error"
