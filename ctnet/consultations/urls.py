from django.urls import path

from ctnet.consultations.views import manage, pages, public, results

urlpatterns = [
    path("", pages.consultation_list, name="consultations"),
    path("new/", manage.consultation_new, name="consultation-new"),
    path("receipt/", pages.receipt_lookup, name="consultations-receipt"),
    # Without an account: the public link, and its submit target (the token in the form). The
    # submit route comes first: "submit" is never a token, but the order says so anyway.
    path(
        "public/<int:consultation_id>/submit/",
        public.public_submit,
        name="consultation-public-submit",
    ),
    path(
        "public/<int:consultation_id>/<str:token>/",
        public.public_consultation,
        name="consultation-public",
    ),
    path("<int:consultation_id>/", pages.consultation_detail, name="consultation"),
    path("<int:consultation_id>/submit/", pages.consultation_submit, name="consultation-submit"),
    path("<int:consultation_id>/move/", pages.consultation_move, name="consultation-move"),
    path(
        "<int:consultation_id>/opinion-map.svg",
        pages.opinion_map_svg,
        name="consultation-opinion-map",
    ),
    path("<int:consultation_id>/report/", pages.consultation_report, name="consultation-report"),
    # The unit's management pages.
    path("<int:consultation_id>/edit/", manage.consultation_edit, name="consultation-edit"),
    path(
        "<int:consultation_id>/public-link/",
        public.consultation_public_link,
        name="consultation-public-link",
    ),
    path("<int:consultation_id>/themes/", manage.consultation_themes, name="consultation-themes"),
    path("<int:consultation_id>/themes/new/", manage.theme_new, name="consultation-theme-new"),
    path(
        "<int:consultation_id>/themes/assign/",
        manage.theme_assign,
        name="consultation-theme-assign",
    ),
    path(
        "<int:consultation_id>/themes/merge/", manage.theme_merge, name="consultation-theme-merge"
    ),
    path("themes/<int:theme_id>/rename/", manage.theme_rename, name="consultation-theme-rename"),
    path(
        "<int:consultation_id>/answers/", manage.consultation_answers, name="consultation-answers"
    ),
    path("themes/<int:theme_id>/respond/", manage.theme_respond, name="consultation-theme-respond"),
    path(
        "<int:consultation_id>/publish/", manage.consultation_publish, name="consultation-publish"
    ),
    path(
        "<int:consultation_id>/moderation/",
        manage.consultation_moderation,
        name="consultation-moderation",
    ),
    path(
        "<int:consultation_id>/moderation/<str:submission_id>/",
        manage.input_moderate,
        name="consultation-moderate",
    ),
    # Results (Decidim's tree): read by whoever reads the published response, added by the unit.
    path(
        "<int:consultation_id>/results/", results.consultation_results, name="consultation-results"
    ),
    path("<int:consultation_id>/results/add/", results.result_add, name="consultation-result-add"),
    path(
        "<int:consultation_id>/results/milestones/",
        results.milestone_add,
        name="consultation-milestone-add",
    ),
    path(
        "<int:consultation_id>/themes/ungroup/",
        manage.theme_ungroup,
        name="consultation-theme-ungroup",
    ),
]
