"""How a roster may write its dates (``--date-format``), apart from the roster readers so the
command line can offer the choices without loading them. YYYY-MM-DD is always understood
too, being unambiguous; a day-first or month-first date is never guessed."""

DATE_FORMATS = {"YYYY-MM-DD": "%Y-%m-%d", "DD/MM/YYYY": "%d/%m/%Y", "MM/DD/YYYY": "%m/%d/%Y",
                "DD.MM.YYYY": "%d.%m.%Y", "DD-MM-YYYY": "%d-%m-%Y"}
