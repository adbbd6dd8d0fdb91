"""studybot's shared core: study content, quizzes, scores and lookup, free of any platform."""

__version__ = "0.1.0"
