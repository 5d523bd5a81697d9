"""Stories: copies and rewrites of one report across outlets, what each credits, who had it first.

Engine-neutral: plain text in, plain frozen dataclasses out; no search-engine imports.
"""
from .credits import Credit, Lexicon, extract_credits
from .model import FORMAT, Comparison, CreditedSource, Passage, Story, StoryInput, StoryModel, build_stories
from .errors import StoryFormatError

__all__ = ["Credit", "CreditedSource", "Comparison", "FORMAT", "Lexicon", "Passage", "Story", "StoryFormatError", "StoryInput",
           "StoryModel", "build_stories", "extract_credits"]
