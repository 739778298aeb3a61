# Django's Arabic short date carries right-to-left marks for a right-to-left run; our pages isolate
# dates left to right (<bdi dir="ltr">), where those marks would reorder the parts.
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
