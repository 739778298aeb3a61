from django.urls import path

from .views import iati, portfolio, projects, updates

urlpatterns = [
    path("", portfolio.portfolio_page, name="monitoring"),
    path("portfolio.csv", portfolio.portfolio_csv, name="monitoring-portfolio-csv"),
    # Named in the daily reminder of ``notices.send_reports_due``.
    path("due/", updates.due_page, name="monitoring-due"),
    path("iati.xml", iati.export_page, name="monitoring-iati-export"),
    path("iati/import/", iati.import_page, name="monitoring-iati-import"),
    path("projects/<int:project_id>/", projects.project_page, name="monitoring-project"),
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
