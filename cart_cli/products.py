"""The CAR-T products a person may have been given, by every name people use for them.

Stored by generic name (what the alert card and a doctor at A&E read first), shown with the
brand. No product code is given: no code system we could check names each of these products
with certainty, and a wrong code in a record sent to a hospital is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from cart_cli.errors import InvalidInput


@dataclass(frozen=True)
class Product:
    generic: str  # the international non-proprietary name, lower case
    brand: str
    short: str  # the short name used in clinics and papers

    @property
    def shown(self) -> str:
        """``Yescarta (axicabtagene ciloleucel)``."""
        return f"{self.brand} ({self.generic})"


PRODUCTS = (
    Product("axicabtagene ciloleucel", "Yescarta", "axi-cel"),
    Product("tisagenlecleucel", "Kymriah", "tisa-cel"),
    Product("brexucabtagene autoleucel", "Tecartus", "brexu-cel"),
    Product("lisocabtagene maraleucel", "Breyanzi", "liso-cel"),
    Product("idecabtagene vicleucel", "Abecma", "ide-cel"),
    Product("ciltacabtagene autoleucel", "Carvykti", "cilta-cel"),
    Product("obecabtagene autoleucel", "Aucatzyl", "obe-cel"),
)


def _key(text: str) -> str:
    """Compare names without case, spaces, hyphens or dots: "Axi-cel", "axi cel", "AXICEL"."""
    return "".join(char for char in text.lower() if char.isalnum())


_BY_NAME = {
    _key(name): product for product in PRODUCTS for name in (product.generic, product.brand, product.short)
}


def parse_product(text: str) -> Product:
    """``--product``: a brand, generic or short name ("Yescarta", "axicabtagene ciloleucel",
    "axi-cel"), any case or spacing."""
    product = _BY_NAME.get(_key(text))
    if product is None:
        known = ", ".join(f"{p.brand} ({p.short})" for p in PRODUCTS)
        raise InvalidInput(
            f"product {text.strip()[:40]!r} is not one cart knows: give one of {known}, or its "
            "generic name. For a product in a trial, leave it out and say its name when you call."
        )
    return product


def product_named(generic: str | None) -> Product | None:
    """The stored product (by generic name), or None when none is set."""
    return None if generic is None else _BY_NAME.get(_key(generic))
