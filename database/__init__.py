"""The project's database backends: Django's own, with what this site needs changed."""
