"""Answering: the Answerer seam, the extractive judge, and the guard on every answer.

Never imports the index or the file side's loaders: it sees passages and what the facade
tells it of the agreements in scope (`AnswerContext`).
"""
