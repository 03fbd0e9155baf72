"""A garnishee's declaration as plain data (no database): what the forms produce, what the
service checks and stores, what the renderer draws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from securact.returns.models import ZERO, AccountKind, Direction
from securact.returns.validators import (
    normalize_account_number,
    validate_account_number,
    validate_amount,
)

# More than any debtor holds at one bank; bounds the form and the rendered table.
MAX_ACCOUNTS = 100
PRIOR_ENCUMBRANCES_MAX_LENGTH = 4000


@dataclass(frozen=True)
class AccountLine:
    kind: str  # AccountKind
    number: str
    balance: Decimal
    direction: str  # Direction

    @property
    def signed_balance(self) -> Decimal:
        return self.balance if self.direction == Direction.CREDIT else -self.balance


@dataclass(frozen=True)
class Totals:
    credit: Decimal
    debit: Decimal

    @property
    def net(self) -> Decimal:
        """Credits minus debits: the sense of the whole is its sign."""
        return self.credit - self.debit


@dataclass(frozen=True)
class Declaration:
    """The bank's answer to a garnishment (L.211-3, L.162-1 CPCE)."""

    debtor_is_individual: bool
    accounts: tuple[AccountLine, ...] = ()
    protected_balance: Decimal | None = None
    prior_encumbrances: str = ""

    @property
    def totals(self) -> Totals:
        return Totals(
            credit=sum((a.balance for a in self.accounts if a.direction == Direction.CREDIT), ZERO),
            debit=sum((a.balance for a in self.accounts if a.direction == Direction.DEBIT), ZERO),
        )

    def normalized(self) -> Declaration:
        """The same declaration as stored: account numbers without spaces, in capitals."""
        return Declaration(
            debtor_is_individual=self.debtor_is_individual,
            accounts=tuple(
                AccountLine(
                    kind=a.kind,
                    number=normalize_account_number(a.number),
                    balance=a.balance,
                    direction=a.direction,
                )
                for a in self.accounts
            ),
            protected_balance=self.protected_balance,
            prior_encumbrances=self.prior_encumbrances.strip(),
        )


def check_declaration(declaration: Declaration) -> None:
    """Raise a ``ValidationError`` (a dict of French messages by field; accounts as
    ``accounts.N.field``, N from 1) when the declaration is not one to accept."""
    errors: dict[str, list[str]] = {}

    def refuse(key: str, error: ValidationError) -> None:
        errors.setdefault(key, []).extend(error.messages)

    _check_protected_balance(declaration, refuse)
    if len(declaration.prior_encumbrances) > PRIOR_ENCUMBRANCES_MAX_LENGTH:
        refuse(
            "prior_encumbrances",
            ValidationError(
                gettext("Ce texte ne peut pas dépasser %(limit)d caractères.")
                % {"limit": PRIOR_ENCUMBRANCES_MAX_LENGTH}
            ),
        )
    if len(declaration.accounts) > MAX_ACCOUNTS:
        refuse(
            "accounts",
            ValidationError(
                gettext("Une déclaration compte au plus %(limit)d comptes.")
                % {"limit": MAX_ACCOUNTS}
            ),
        )
    seen: set[str] = set()
    for position, account in enumerate(declaration.accounts, start=1):
        for key, error in account_errors(account):
            refuse(f"accounts.{position}.{key}", error)
        number = normalize_account_number(account.number)
        if number and number in seen:  # the form says it on the row too (any entry point)
            refuse(
                f"accounts.{position}.number",
                ValidationError(
                    gettext("Ce compte est déjà déclaré plus haut : un compte par ligne.")
                ),
            )
        seen.add(number)
    if errors:
        raise ValidationError(errors)


def _check_protected_balance(
    declaration: Declaration, refuse: Callable[[str, ValidationError], None]
) -> None:
    amount = declaration.protected_balance
    if not declaration.debtor_is_individual:
        if amount is not None:
            refuse("protected_balance", ValidationError(not_for_companies()))
        return
    if amount is None:
        refuse("protected_balance", ValidationError(protected_balance_required()))
        return
    try:
        validate_amount(amount, field_label=gettext("Le solde bancaire insaisissable"))
    except ValidationError as error:
        refuse("protected_balance", error)


def account_errors(account: AccountLine) -> list[tuple[str, ValidationError]]:
    found: list[tuple[str, ValidationError]] = []
    if account.kind not in AccountKind.values:
        found.append(("kind", ValidationError(gettext("Choisissez le type du compte."))))
    try:
        validate_account_number(account.number)
    except ValidationError as error:
        found.append(("number", error))
    try:
        validate_amount(account.balance, field_label=gettext("Le solde"))
    except ValidationError as error:
        found.append(("balance", error))
    if account.direction not in Direction.values:
        found.append(
            (
                "direction",
                ValidationError(gettext("Indiquez si le solde est créditeur ou débiteur.")),
            )
        )
    return found


def protected_balance_required() -> str:
    return gettext(
        "Indiquez le solde bancaire insaisissable laissé à la disposition du débiteur "
        "(0,00 s'il n'y en a pas)."
    )


def not_for_companies() -> str:
    return gettext(
        "Le solde bancaire insaisissable ne concerne qu'un débiteur personne physique : "
        "laissez ce champ vide pour une personne morale."
    )
