from django.urls import path

from ctnet.screening.views import entry_reviews, notices, review, runs, stats, watchlists

urlpatterns = [
    path("", runs.dashboard, name="screening"),
    path("runs/<int:run_id>/", runs.run_page, name="screening-run"),
    path("hits/", review.hits_page, name="screening-hits"),
    path("hits/<int:hit_id>/", review.hit_page, name="screening-hit"),
    path("hits/<int:hit_id>/decision/", review.hit_decide, name="screening-hit-decide"),
    path(
        "hits/<int:hit_id>/second-review/",
        review.hit_second_review,
        name="screening-hit-second-review",
    ),
    path("watchlists/", watchlists.watchlists_page, name="screening-watchlists"),
    path("watchlists/<int:watchlist_id>/", watchlists.watchlist_page, name="screening-watchlist"),
    path(
        "watchlists/<int:watchlist_id>/import/",
        watchlists.watchlist_import,
        name="screening-watchlist-import",
    ),
    path(
        "watchlists/<int:watchlist_id>/active/",
        watchlists.watchlist_active,
        name="screening-watchlist-active",
    ),
    path(
        "watchlists/<int:watchlist_id>/marking/",
        watchlists.watchlist_marking,
        name="screening-watchlist-marking",
    ),
    # Named in the reminder e-mail of ``reminders.send_review_reminders`` (the list page).
    path(
        "watchlists/<int:watchlist_id>/review/",
        entry_reviews.due_page,
        name="screening-review-due",
    ),
    path("entries/<int:entry_id>/", watchlists.entry_page, name="screening-entry"),
    path(
        "entries/<int:entry_id>/reviewed/",
        entry_reviews.entry_reviewed,
        name="screening-entry-reviewed",
    ),
    path("stats/", stats.stats_page, name="screening-stats"),
    # Named in the notice e-mail of ``notices.send_hit_notice``.
    path("notices/", notices.notices_page, name="screening-notices"),
    path("notices/<int:notice_id>/", notices.notice_page, name="screening-notice"),
    path(
        "notices/<int:notice_id>/acknowledge/",
        notices.notice_acknowledge,
        name="screening-notice-ack",
    ),
]
