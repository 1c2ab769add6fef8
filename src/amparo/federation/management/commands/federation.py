from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Federation with other Amparo servers: this server's key, partners, links between "
        "sharing groups, syncing, STIX and MISP exports. See docs/federation.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        key = sub.add_parser("key", help="Show this server's public key and its fingerprint.")
        key.add_argument("--json", action="store_true", help="As JSON.")

        partner = sub.add_parser("partner", help="Add, list, suspend, resume or remove partners.")
        psub = partner.add_subparsers(dest="partner_action", required=True)
        add = psub.add_parser("add", help="Add a partner server from its key, given out of band.")
        add.add_argument("--name", required=True)
        add.add_argument("--url", required=True, help="Its address, https://...")
        add.add_argument("--key", required=True, help="Its public key (base64 or PEM).")
        add.add_argument(
            "--fingerprint", default="", help="Its key's fingerprint, as read to you; checked."
        )
        listing = psub.add_parser("list", help="Partners, their links and their sync state.")
        listing.add_argument("--json", action="store_true", help="As JSON.")
        for name, text in (
            ("suspend", "Stop syncing with a partner and refuse its requests."),
            ("resume", "Sync with a suspended partner again."),
            ("remove", "Forget a partner; the items it sent are withdrawn here."),
            ("taxii-token", "Issue a new TAXII token for the partner's tools (shown once)."),
        ):
            one = psub.add_parser(name, help=text)
            one.add_argument("partner", help="Its name, address or key id.")

        link = sub.add_parser("link", help="Exchange a sharing group's items with a partner's.")
        link.add_argument("--partner", required=True)
        link.add_argument("--group", required=True, help="Our sharing group's id.")
        link.add_argument("--remote-group", required=True, help="The partner's group id.")
        unlink = sub.add_parser("unlink", help="Stop exchanging a group with a partner.")
        unlink.add_argument("--partner", required=True)
        unlink.add_argument("--group", required=True)

        sync = sub.add_parser("sync", help="Sync now (pull, then push) with one or every partner.")
        sync.add_argument("--partner", default="")

        export = sub.add_parser("export", help="A sharing group's items as STIX 2.1 or MISP.")
        export.add_argument("--group", required=True)
        export.add_argument("--format", choices=["stix", "misp"], default="stix")
        export.add_argument("--output", default="-", help="A file, or - for standard output.")

        imp = sub.add_parser(
            "import",
            help="Items of a STIX 2.1 bundle or a MISP event into a sharing group, as received "
            "from elsewhere (shown to the group's members, matched like partners' items).",
        )
        imp.add_argument("file", help="The STIX or MISP JSON file.")
        imp.add_argument("--group", required=True)
        imp.add_argument("--format", choices=["stix", "misp"], default="stix")
        imp.add_argument(
            "--source", required=True, help="Where it comes from, kept as the items' origin."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "key":
                self._key(options)
            elif action == "partner":
                self._partner(options)
            elif action in ("link", "unlink"):
                self._link(action, options)
            elif action == "sync":
                self._sync(options)
            elif action == "export":
                self._export(options)
            elif action == "import":
                self._import(options)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None

    def _key(self, options: dict[str, Any]) -> None:
        from amparo.federation.keys import public_summary

        summary = public_summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        self.stdout.write(f"key id:      {summary['key_id']}")
        self.stdout.write(f"public key:  {summary['public_key']}")
        self.stdout.write(f"fingerprint: {summary['fingerprint']}")

    def _find_partner(self, text: str) -> Any:
        from django.db.models import Q

        from amparo.federation.models import Partner

        text = text.strip()
        found = list(
            Partner.objects.filter(Q(name=text) | Q(base_url=text.rstrip("/")) | Q(key_id=text))
        )
        if len(found) != 1:
            raise CommandError(
                f"no single partner is called {text!r}: see 'federation partner list'"
            )
        return found[0]

    def _group(self, text: str) -> Any:
        from amparo.sharing.models import SharingGroup

        try:
            return SharingGroup.objects.get(pk=text.strip())
        except (SharingGroup.DoesNotExist, ValueError, ValidationError):
            raise CommandError(f"no sharing group has the id {text!r}") from None

    def _partner(self, options: dict[str, Any]) -> None:
        from amparo.federation import services
        from amparo.federation.models import Partner

        action = options["partner_action"]
        if action == "add":
            partner = services.add_partner(
                name=options["name"],
                base_url=options["url"],
                public_key=options["key"],
                fingerprint=options["fingerprint"],
            )
            self.stdout.write(f"added partner {partner.name} ({partner.key_id})")
            return
        if action == "list":
            rows: list[dict[str, Any]] = [
                {
                    "name": p.name,
                    "url": p.base_url,
                    "key_id": p.key_id,
                    "status": p.status,
                    "links": [
                        {"group": str(link.group_id), "remote_group": link.remote_group}
                        for link in p.links.all()
                    ],
                    "last_success_at": p.last_success_at.isoformat() if p.last_success_at else None,
                    "failures": p.failures,
                    "last_error": p.last_error,
                }
                for p in Partner.objects.prefetch_related("links")
            ]
            if options["json"]:
                self.stdout.write(json.dumps(rows))
                return
            for row in rows:
                state = (
                    f"failing ({row['failures']}): {row['last_error']}" if row["failures"] else "ok"
                )
                self.stdout.write(
                    f"{row['name']}  {row['url']}  {row['key_id']}  {row['status']}  "
                    f"{len(row['links'])} link(s)  {state}"
                )
            return
        partner = self._find_partner(options["partner"])
        if action == "suspend":
            services.set_partner_status(partner, Partner.Status.SUSPENDED)
        elif action == "resume":
            services.set_partner_status(partner, Partner.Status.ACTIVE)
        elif action == "remove":
            services.remove_partner(partner)
        elif action == "taxii-token":
            self.stdout.write(services.issue_taxii_token(partner))
            return
        self.stdout.write(f"{action}: {partner.name}")

    def _link(self, action: str, options: dict[str, Any]) -> None:
        from amparo.federation import services
        from amparo.federation.models import Link

        partner = self._find_partner(options["partner"])
        group = self._group(options["group"])
        if action == "link":
            services.link_group(partner, group, options["remote_group"])
            self.stdout.write(f"linked {group.pk} with {partner.name}'s {options['remote_group']}")
            return
        link = Link.objects.filter(partner=partner, group=group).first()
        if link is None:
            raise CommandError("that group is not linked with that partner")
        services.unlink_group(link)
        self.stdout.write(f"unlinked {group.pk} from {partner.name}")

    def _sync(self, options: dict[str, Any]) -> None:
        from amparo.federation.client import sync_partner
        from amparo.federation.models import Partner

        partners = (
            [self._find_partner(options["partner"])]
            if options["partner"]
            else list(Partner.objects.filter(status=Partner.Status.ACTIVE))
        )
        failed = False
        for partner in partners:
            result = sync_partner(partner)
            if result.errors:
                failed = True
                self.stderr.write(f"{partner.name}: failed: {result.errors[0]}")
            else:
                self.stdout.write(
                    f"{partner.name}: pulled {result.pulled}, pushed {result.pushed}, "
                    f"rejected {result.rejected}"
                )
        if failed:
            raise CommandError("sync failed with at least one partner")

    def _export(self, options: dict[str, Any]) -> None:
        from amparo.engines.exchange import misp, stix
        from amparo.engines.exchange.items import Item, ItemError
        from amparo.sharing.models import Distribution, SharedItem

        group = self._group(options["group"])
        items = []
        for row in SharedItem.objects.filter(
            group=group,
            origin="",
            distribution=Distribution.GROUP,
            status=SharedItem.Status.SHARED,
            withdrawn_at__isnull=True,
        ).order_by("modified_at"):
            try:
                items.append(Item.from_dict(row.to_exchange_dict()))
            except ItemError:
                continue
        if options["format"] == "stix":
            text = stix.to_bundle(items, group_name=group.name)
        else:
            text = misp.to_json(items, info=f"Amparo: {group.name}", event_id=str(group.pk))
        if options["output"] == "-":
            sys.stdout.write(text + "\n")
        else:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {len(items)} item(s) to {options['output']}")

    def _import(self, options: dict[str, Any]) -> None:
        """Each item read is stored as a remote item of the group (``import:<source>`` as its
        origin), so a replayed or older file changes nothing and a withdrawn item stays
        withdrawn; what the file holds beyond Amparo's shapes is left out and listed."""
        from amparo.engines.exchange import misp, stix
        from amparo.sharing.items import receive_remote_item

        group = self._group(options["group"])
        path = Path(options["file"])
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            items, left_out = (
                stix.from_bundle(text) if options["format"] == "stix" else misp.from_json(text)
            )
        except ValueError as exc:
            raise CommandError(f"{path} is not a {options['format'].upper()} file: {exc}") from None
        origin = f"import:{options['source'].strip()}"[:200]
        for item in items:
            receive_remote_item(group, item.to_dict(), origin=origin)
        self.stdout.write(f"imported {len(items)} item(s) into {group.name}")
        for line in left_out:
            self.stdout.write(f"left out: {line}")
