from django.urls import path

from .views import answers, framework, iati, portfolio, projects, updates

urlpatterns = [
    path("", portfolio.portfolio_page, name="monitoring"),
    path("portfolio.csv", portfolio.portfolio_csv, name="monitoring-portfolio-csv"),
    # Named in the daily reminder of ``notices.send_reports_due``.
    path("due/", updates.due_page, name="monitoring-due"),
    path("iati.xml", iati.export_page, name="monitoring-iati-export"),
    path("iati/import/", iati.import_page, name="monitoring-iati-import"),
    path("projects/new/", projects.project_new, name="monitoring-project-new"),
    path("projects/<int:project_id>/", projects.project_page, name="monitoring-project"),
    path("projects/<int:project_id>/edit/", projects.project_edit, name="monitoring-project-edit"),
    path(
        "projects/<int:project_id>/answers/",
        answers.project_answers,
        name="monitoring-project-answers",
    ),
    path(
        "projects/<int:project_id>/answers/<str:kind>/<int:target_id>/remove/",
        answers.answer_remove,
        name="monitoring-project-answer-remove",
    ),
    path(
        "projects/<int:project_id>/results/new/",
        framework.result_new,
        name="monitoring-result-new",
    ),
    path("results/<int:result_id>/edit/", framework.result_edit, name="monitoring-result-edit"),
    path(
        "results/<int:result_id>/indicators/new/",
        framework.indicator_new,
        name="monitoring-indicator-new",
    ),
    path(
        "indicators/<int:indicator_id>/edit/",
        framework.indicator_edit,
        name="monitoring-indicator-edit",
    ),
    path(
        "indicators/<int:indicator_id>/periods/new/",
        framework.period_new,
        name="monitoring-period-new",
    ),
    path("periods/<int:period_id>/edit/", framework.period_edit, name="monitoring-period-edit"),
    path(
        "results/<int:result_id>/delete/", framework.result_delete, name="monitoring-result-delete"
    ),
    path(
        "indicators/<int:indicator_id>/delete/",
        framework.indicator_delete,
        name="monitoring-indicator-delete",
    ),
    path(
        "periods/<int:period_id>/delete/", framework.period_delete, name="monitoring-period-delete"
    ),
    path(
        "projects/<int:project_id>/budgets/new/",
        projects.budget_new,
        name="monitoring-budget-new",
    ),
    path(
        "projects/<int:project_id>/disbursements/new/",
        projects.disbursement_new,
        name="monitoring-disbursement-new",
    ),
    path("documents/<int:document_id>/", projects.document_download, name="monitoring-document"),
    path(
        "projects/<int:project_id>/documents/new/",
        projects.document_new,
        name="monitoring-document-new",
    ),
    path(
        "projects/<int:project_id>/marking/",
        projects.project_marking,
        name="monitoring-project-marking",
    ),
    path(
        "projects/<int:project_id>/results.csv", projects.project_csv, name="monitoring-project-csv"
    ),
    path("periods/<int:period_id>/report/", updates.report_page, name="monitoring-period-report"),
    path("periods/<int:period_id>/lock/", updates.period_lock, name="monitoring-period-lock"),
    # Named in the mails of ``notices``.
    path("updates/<int:update_id>/", updates.update_page, name="monitoring-update"),
    path("updates/<int:update_id>/submit/", updates.update_submit, name="monitoring-update-submit"),
    path("updates/<int:update_id>/decide/", updates.update_decide, name="monitoring-update-decide"),
    path(
        "updates/<int:update_id>/evidence/",
        updates.update_evidence,
        name="monitoring-update-evidence",
    ),
]
