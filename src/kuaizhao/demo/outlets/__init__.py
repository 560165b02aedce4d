"""The three outlets of the demo news site, each with its own templates and habits."""

from .base import OutletSite, Response
from .dongfang import Dongfang
from .huaxia import Huaxia
from .nanfeng import Nanfeng

OUTLET_CLASSES: tuple[type[OutletSite], ...] = (Huaxia, Dongfang, Nanfeng)

__all__ = ["OUTLET_CLASSES", "OutletSite", "Response"]
