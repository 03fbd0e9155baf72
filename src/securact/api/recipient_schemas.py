"""The shapes of the banks' pull API (``api.recipient``): French names, French descriptions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field, model_validator

from securact.api.types import Text
from securact.returns.declaration import MAX_ACCOUNTS, PRIOR_ENCUMBRANCES_MAX_LENGTH
from securact.returns.validators import ACCOUNT_NUMBER_MAX_LENGTH

DeliveryCode = Literal["attente", "personne", "domicile"]


class Nature(Schema):
    code: str = Field(description="Code de la nature de l'acte (ex. saisie-attribution).")
    libelle: str = Field(description="Libellé de la nature de l'acte.")


class Etude(Schema):
    code: str = Field(description="Code de l'étude de commissaire de justice.")
    nom: str = Field(description="Nom de l'étude.")


class Depot(Schema):
    """Un dépôt (une signification) fait au destinataire."""

    id: int = Field(description="Identifiant du dépôt.")
    reference: str = Field(description="Référence de dépôt donnée par l'étude.")
    nature: Nature
    etude: Etude
    commissaire: str = Field(description="Commissaire de justice qui a signifié l'acte.")
    envoye_le: datetime = Field(description="Date et heure du dépôt (envoi).")
    delai_remise: datetime | None = Field(
        description="Échéance de la remise : ouvert avant, l'acte est remis à personne."
    )
    etat: DeliveryCode = Field(
        description="État de la remise : attente (non décidée), personne (remis à personne), "
        "domicile (remis à domicile)."
    )
    etat_libelle: str = Field(description="L'état tel que le portail l'affiche.")
    ouvert_le: datetime | None = Field(
        description="Première ouverture (premier téléchargement d'un acte), ou null."
    )
    remis_le: datetime | None = Field(description="Date de la remise une fois décidée, ou null.")
    acquitte_le: datetime | None = Field(
        description="Accusé de réception enregistré par l'API, ou null."
    )
    debiteur: str = Field(description="Débiteur (éléments essentiels de l'acte), ou vide.")
    nombre_actes: int = Field(description="Nombre d'actes déposés.")
    url: str = Field(description="Adresse du détail du dépôt dans l'API.")


class DepotsPage(Schema):
    resultats: list[Depot] = Field(description="Les dépôts de la page, du plus ancien envoi.")
    suivant: str | None = Field(
        description="Curseur de la page suivante (paramètre curseur), null à la fin."
    )


class Acte(Schema):
    id: int = Field(description="Identifiant de l'acte.")
    nom: str = Field(description="Nom du fichier déposé (PDF signé).")
    taille: int = Field(description="Taille en octets.")
    sha256: str = Field(description="Empreinte SHA-256 du fichier, en hexadécimal.")
    url: str = Field(
        description="Adresse du téléchargement : le premier téléchargement d'un acte est "
        "l'ouverture du dépôt (remise à personne avant l'échéance)."
    )


class MessageDonnees(Schema):
    nom: str = Field(description="Nom du message de données (XML scellé).")
    taille: int = Field(description="Taille en octets.")
    sha256: str = Field(description="Empreinte SHA-256, en hexadécimal.")
    depose_le: datetime = Field(description="Date du dépôt du message de données.")
    url: str = Field(description="Adresse du téléchargement (ne vaut pas ouverture).")


class Retour(Schema):
    """Le retour d'acte attendu du destinataire (R.211-4 CPCE)."""

    echeance: date = Field(description="Date limite de réponse.")
    due_avant: datetime = Field(description="Fin du jour de l'échéance.")
    leve: bool = Field(description="Mainlevée signifiée : plus de réponse attendue.")
    depose_le: datetime | None = Field(description="Dépôt de la réponse, ou null.")
    nom: str | None = Field(description="Nom du retour dans le coffre de l'étude, ou null.")
    dans_les_delais: bool | None = Field(description="Réponse déposée dans le délai, ou null.")
    scelle: bool = Field(description="Le retour est scellé et déposé chez l'étude.")
    url: str = Field(description="Adresse où déposer la réponse (POST).")


class DepotDetail(Depot):
    actes: list[Acte] = Field(description="Les actes déposés, dans l'ordre.")
    message_donnees: MessageDonnees | None = Field(
        description="Le message de données de l'acte (F8.3), si sa nature en prévoit un."
    )
    retour: Retour | None = Field(
        description="La réponse attendue (retour d'acte), null si la nature n'en attend pas."
    )
    accuse_reception_url: str = Field(description="Adresse de l'accusé de réception (POST).")


class AccuseReception(Schema):
    depot: int = Field(description="Identifiant du dépôt.")
    acquitte_le: datetime = Field(description="Date de l'accusé de réception (le premier).")


class MessageDonneesDepot(MessageDonnees):
    depot: int = Field(description="Identifiant du dépôt.")
    reference: str = Field(description="Référence de dépôt.")
    etude: str = Field(description="Code de l'étude.")
    nature: str = Field(description="Code de la nature de l'acte.")
    envoye_le: datetime | None = Field(description="Date du dépôt de l'acte.")


class MessagesDonneesPage(Schema):
    resultats: list[MessageDonneesDepot]
    suivant: str | None = Field(description="Curseur de la page suivante, null à la fin.")


class Evenement(Schema):
    numero: int = Field(
        description="Numéro de l'entrée du journal des preuves (sa preuve d'inclusion : "
        "/preuves/journal/<numero>)."
    )
    evenement: str = Field(
        description="Code de l'événement : signification.deposited, act.opened, "
        "delivery.in_person, act_return.received, deposit.acknowledged…"
    )
    depot: int | None = Field(description="Identifiant du dépôt concerné.")
    reference: str = Field(description="Référence de dépôt.")
    date: datetime = Field(description="Date de l'événement.")
    message: str = Field(description="L'événement, en français, tel que l'historique l'affiche.")


class EvenementsPage(Schema):
    resultats: list[Evenement]
    suivant: str | None = Field(
        description="Curseur à redonner (paramètre depuis) pour les événements suivants ; "
        "null quand il n'y en a pas d'autre pour l'instant — gardez alors le dernier."
    )
    dernier: str | None = Field(
        description="Curseur après le dernier événement de la page (à garder pour "
        "l'interrogation suivante), ou le curseur reçu si la page est vide."
    )


# --- the act return --------------------------------------------------------------------------

AccountKindCode = Literal["courant", "livret", "titres", "autre"]


class Compte(Schema):
    type: AccountKindCode = Field(description="Type de compte.")
    numero: Text = Field(
        max_length=ACCOUNT_NUMBER_MAX_LENGTH + 8,
        description="Numéro de compte ou IBAN (espaces permises).",
    )
    solde: Decimal = Field(description="Solde au jour de la saisie, en euros, sans signe.")
    sens: Literal["crediteur", "debiteur"] = Field(description="Sens du solde.")


class Declaration(Schema):
    """La déclaration du tiers saisi (L.211-3, L.162-1 CPCE), les mêmes règles que le
    formulaire du portail."""

    debiteur: Literal["personne_physique", "personne_morale"] = Field(
        description="Le débiteur est une personne physique ou morale."
    )
    aucun_compte: bool = Field(
        default=False, description="Le débiteur ne détient aucun compte dans nos livres."
    )
    comptes: list[Compte] = Field(
        default_factory=list, max_length=MAX_ACCOUNTS, description="Les comptes du débiteur."
    )
    solde_insaisissable: Decimal | None = Field(
        default=None,
        description="Solde bancaire insaisissable (R.162-2 CPCE), obligatoire pour une "
        "personne physique (0 s'il n'y en a pas), absent pour une personne morale.",
    )
    saisies_anterieures: Text = Field(
        default="",
        max_length=PRIOR_ENCUMBRANCES_MAX_LENGTH,
        description="Saisies, nantissements ou cessions antérieurs, un par ligne.",
    )

    @model_validator(mode="after")
    def _accounts_or_none(self) -> Declaration:
        if not self.comptes and not self.aucun_compte:
            raise ValueError(
                gettext(
                    "Déclarez au moins un compte, ou cochez cette case si le débiteur n'en "
                    "détient aucun."
                )
            )
        if self.comptes and self.aucun_compte:
            raise ValueError(gettext("Vous déclarez des comptes : décochez « aucun compte »."))
        return self


class RetourDepose(Schema):
    depot: int = Field(description="Identifiant du dépôt.")
    nom: str = Field(description="Nom du retour dans le coffre de l'étude.")
    depose_le: datetime = Field(description="Date du dépôt de la réponse.")
    echeance: date = Field(description="Date limite de réponse en vigueur.")
    dans_les_delais: bool = Field(description="Déposé dans le délai.")
    scelle: bool = Field(
        description="Déjà scellé et déposé chez l'étude (sinon : dès que l'horodatage répond)."
    )
