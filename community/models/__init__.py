from .facets import FacetCounts
from .post import Answer, Post, Tag
from .synonym import Synonym

__all__ = ["Answer", "FacetCounts", "Post", "Synonym", "Tag"]
