from django.urls import path

from ctnet.directory import views

urlpatterns = [
    path("", views.search, name="directory"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="directory-contact"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="directory-contact-edit"),
    path(
        "contacts/<int:contact_id>/confirm/",
        views.contact_confirm,
        name="directory-contact-confirm",
    ),
    path(
        "contacts/<int:contact_id>/verify/", views.contact_verify, name="directory-contact-verify"
    ),
    path("contacts/<int:contact_id>/vcard/", views.contact_vcard, name="directory-contact-vcard"),
    path("organisations/<int:org_id>/new/", views.contact_create, name="directory-contact-new"),
    path("export.csv", views.export_csv, name="directory-export-csv"),
    path("print/", views.print_list, name="directory-print"),
    path("route/", views.route, name="directory-route"),
    path("coverage/", views.coverage_page, name="directory-coverage"),
    path("tests/", views.comm_tests, name="directory-comm-tests"),
    path("tests/<int:test_id>/", views.comm_test_detail, name="directory-comm-test"),
    path("receipt/<str:secret>/", views.receipt, name="directory-receipt"),
]
