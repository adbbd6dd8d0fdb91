"""Group-study features that run on their own schedule: daily questions, contests, announcements."""
