"""Accessibility fixes to Material's markup that no theme option covers.

Material's search overlay is a ``role="dialog"`` without a name, which axe reports as a serious
violation (aria-dialog-name). This hook names it "Search" on every page, the 404 page included.
The browser tests run axe on every page, so a change in Material's markup that undoes this fails.
"""

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def _name_search_dialog(output: str) -> str:
    return output.replace(_SEARCH_DIALOG, _NAMED_SEARCH_DIALOG)


def on_post_page(output, page, config):
    return _name_search_dialog(output)


def on_post_template(output_content, template_name, config):
    return _name_search_dialog(output_content)
