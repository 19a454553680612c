"""Files for other programs to read (the iCalendar file for phone and desktop calendars)."""
