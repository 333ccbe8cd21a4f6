from .post import Answer, Post, Tag
from .synonym import Synonym

__all__ = ["Answer", "Post", "Synonym", "Tag"]
