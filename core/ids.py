"""Primary keys from user input (query strings, form fields, JSON bodies)."""

MAX_ID = 2**63 - 1  # the largest primary key any of our databases stores


def parse_id(value):
    """A primary key from user input, or None: not a number, not positive, or past what a key can be
    (an id of 40 digits must be a 404 or a 400, not an overflow in the database driver)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
