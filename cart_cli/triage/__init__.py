"""The triage rules, grouped by level: ``registry`` holds the machinery, the other modules
the rules. Import ``cart_cli.rules``, which registers them in the order of the clinical table."""
