"""The operators' admin, in Chinese, with no side doors (found by Django's admin autodiscovery).

    readonly.py    what every page of captured rows shares: view-only, URL search, Beijing times
    snapshots.py   snapshots, and the one decision about them: 下架 / 恢复显示 (archive.services)
    pages.py       pages and captures
    sources.py     crawl health per source (sources come from sources.toml); categories
    takedowns.py   takedown requests (the decision form) and access rules (add, lift)

Captured content is shown as captured (本站未对信息做任何修改): no change form of it saves,
nothing captured is added or deleted here. Templates: templates/admin (settings.TEMPLATES);
styles: web/static/kuaizhao/admin.css.
"""

from django.contrib import admin

from . import pages, snapshots, sources, takedowns  # noqa: F401 (each registers its model admins)

admin.site.site_header = "快照 · 运营管理"
admin.site.site_title = "快照管理"
admin.site.index_title = "存档与抓取"
# The lists are wide (Chinese titles, times, states): the page's width goes to them.
admin.site.enable_nav_sidebar = False
admin.site.empty_value_display = "—"
