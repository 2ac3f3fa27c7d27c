# The Secretariat writes "16 March 2026", never "March 16, 2026".
DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
