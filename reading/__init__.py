"""The learned reading of a question: trained from the question bank (eval/bank), it says what a question asks
of whom, in which form, whether it leans on the turn before, whether the measures settle it, and which provisions
it is about, each with a probability. The law stays symbolic (corpus.provisions); this only reads the question.
"""
