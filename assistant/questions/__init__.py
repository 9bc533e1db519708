"""Reading a question: its topics, the party it is put to, and the topic vocabulary.

Used by answering (what counts as relevant) and by the facade's analysis stage (which gives
the index its lexical query), so the index itself never needs it.
"""
