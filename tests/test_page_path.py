"""A page shown again after a refused form sits at the address the form posted to (which
answers only POST); its language switcher must return to the page the person came from."""

from __future__ import annotations

import re

NEXT = re.compile(r'name="next" type="hidden" value="([^"]*)"')


def test_the_language_switcher_returns_to_the_page_not_to_the_action(people, signed_in):
    membership = people.carlos.memberships.get()
    page = f"/o/{people.org.slug}/members/{membership.pk}/"
    client = signed_in(people.alice)
    assert NEXT.search(client.get(page).content.decode()).group(1) == page
    refused = client.post(
        page + "role/", {"role": "emperor"}, HTTP_REFERER="http://testserver" + page
    )
    assert refused.status_code == 200  # shown again, with the error
    assert NEXT.search(refused.content.decode()).group(1) == page
    # a referrer from elsewhere is not followed
    elsewhere = client.post(
        page + "role/", {"role": "emperor"}, HTTP_REFERER="https://evil.example/x"
    )
    assert NEXT.search(elsewhere.content.decode()).group(1) == page + "role/"
