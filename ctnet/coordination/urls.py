from django.urls import path

from ctnet.coordination.views import assistance, groups, overview, plans

urlpatterns = [
    path("", plans.home, name="coordination"),
    path("plans/new/", plans.plan_new, name="coordination-plan-new"),
    path("plans/<int:plan_id>/", plans.plan_page, name="coordination-plan"),
    path("plans/<int:plan_id>/edit/", plans.plan_edit, name="coordination-plan-edit"),
    path("plans/<int:plan_id>/report/", overview.plan_report, name="coordination-plan-report"),
    path("plans/<int:plan_id>/export.csv", overview.plan_csv, name="coordination-plan-csv"),
    path(
        "plans/<int:plan_id>/commitments/",
        plans.commitment_new,
        name="coordination-commitment-new",
    ),
    path(
        "commitments/<int:commitment_id>/edit/",
        plans.commitment_edit,
        name="coordination-commitment-edit",
    ),
    path(
        "commitments/<int:commitment_id>/milestones/",
        plans.milestone_new,
        name="coordination-milestone-new",
    ),
    path(
        "commitments/<int:commitment_id>/progress/",
        plans.progress,
        name="coordination-progress",
    ),
    path("commitments/<int:commitment_id>/assess/", plans.assess, name="coordination-assess"),
    path(
        "plans/<int:plan_id>/assessment-request/",
        plans.assessment_request,
        name="coordination-assessment-request",
    ),
    path("evidence/<int:evidence_id>/", plans.evidence_file, name="coordination-evidence"),
    path("resolutions/<str:code>/", overview.resolution, name="coordination-resolution"),
    path("coverage/", overview.coverage, name="coordination-coverage"),
    path("late/", overview.late, name="coordination-late"),
    path("needs/", assistance.needs, name="coordination-needs"),
    path("needs/new/", assistance.need_new, name="coordination-need-new"),
    path("needs/<int:need_id>/close/", assistance.need_close, name="coordination-need-close"),
    path("offers/new/", assistance.offer_new, name="coordination-offer-new"),
    path(
        "matches/<int:match_id>/project/",
        assistance.start_project,
        name="coordination-match-project",
    ),
    path(
        "matches/<int:match_id>/accept/",
        assistance.match_accept,
        name="coordination-match-accept",
    ),
    path("groups/", groups.group_list, name="coordination-groups"),
    path("groups/new/", groups.group_new, name="coordination-group-new"),
    path("groups/<int:group_id>/", groups.group_page, name="coordination-group"),
    path("groups/<int:group_id>/edit/", groups.group_edit, name="coordination-group-edit"),
    path(
        "groups/<int:group_id>/work-items/",
        groups.work_item_new,
        name="coordination-work-item-new",
    ),
    path("groups/<int:group_id>/meetings/", groups.meeting_new, name="coordination-meeting-new"),
    path(
        "meetings/<int:meeting_id>/documents/",
        groups.document_new,
        name="coordination-document-new",
    ),
    path(
        "documents/<int:document_id>/",
        groups.document_download,
        name="coordination-document",
    ),
    path(
        "decisions/<int:decision_id>/follow-ups/",
        groups.follow_up_new,
        name="coordination-follow-up-new",
    ),
    path(
        "work-items/<int:item_id>/status/",
        groups.work_item_status,
        name="coordination-work-item-status",
    ),
    path(
        "follow-ups/<int:follow_up_id>/status/",
        groups.follow_up_status,
        name="coordination-follow-up-status",
    ),
    path("follow-ups/late/", groups.late_follow_ups, name="coordination-follow-ups-late"),
    path("entities/<str:code>/", groups.entity_page, name="coordination-entity"),
]
