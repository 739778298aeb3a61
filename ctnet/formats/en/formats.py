# International English, as UN documents write it: "2 Dec 2026", a 24-hour clock.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
