# Refus des réglages et des inscriptions, raisons et unités que disent le moteur et le domaine
# (`crate::i18n::Said`) : dans la langue de la console, en anglais dans les API et la CLI.

## Nombres saisis dans un formulaire
ui-refusal-whole_number = Saisissez un nombre entier de { $min } à { $max }.
ui-refusal-whole_number_unit = Saisissez un nombre entier de { $min } à { $max } ({ $unit }).
ui-refusal-resend_wait = L’attente avant un nouvel envoi doit être plus courte que la durée de validité d’un code.

## Identité visuelle
ui-refusal-product_name-empty = Saisissez le nom du produit, tel qu’il figure sur chaque page et dans chaque e-mail.
ui-refusal-product_name-long = Le nom du produit ne peut dépasser { $max } caractères.
ui-refusal-product_name-control = Le nom du produit ne peut contenir ni saut de ligne ni caractère de contrôle.
ui-refusal-colour-form = Saisissez une couleur sous la forme #rrvvbb, comme #1d4ed8.
ui-refusal-colour-contrast = Un texte blanc sur { $colour } a un contraste de { $contrast }:1 ; les boutons demandent au moins 4.5:1. Choisissez une couleur plus foncée.
ui-refusal-logo-empty = Choisissez un fichier image à envoyer.
ui-refusal-logo-too_big = Le logo pèse { $size } Kio ; il ne peut dépasser { $max } Kio.
ui-refusal-logo-kind = Le logo doit être une image PNG, JPEG, GIF ou WebP (le SVG n’est pas accepté).

## Applications clientes
ui-refusal-application-name = Donnez à l’application un nom de { $max } caractères au plus.
ui-refusal-application-taken = Une application porte déjà ce nom.
ui-refusal-application-starts = Saisissez un nombre entier de 0 (aucune limite propre) à { $max }.
ui-refusal-origin-no_scheme = { $raw } n’est pas une origine : écrivez-la comme https://app.example.
ui-refusal-origin-form = { $raw } n’est pas une origine : un schéma et un hôte, comme https://app.example.
ui-refusal-return_url = { $raw } n’est pas une URL de retour : une URL en https:// (http:// seulement pour localhost).

## Jetons d’API
ui-refusal-token_name = un nom de jeton compte de 1 à 64 lettres, chiffres, points, tirets bas ou traits d’union

## Extensions
ui-refusal-extension-name = Utilisez de 1 à 64 lettres, chiffres, - ou _, en commençant par une lettre.
ui-refusal-extension-taken = Une extension s’appelle déjà « { $name } ».
ui-refusal-extension-url_form = Saisissez une adresse complète, comme https://hooks.example.com/flows.
ui-refusal-extension-url_https = L’adresse doit commencer par https://.
ui-refusal-extension-url_credentials = Ne mettez ni nom d’utilisateur ni mot de passe dans l’adresse : les appels sont signés à la place.
ui-refusal-extension-url_host = L’adresse n’a pas d’hôte, ou comporte un #fragment.
ui-refusal-extension-url_private = Cette adresse est privée, locale ou réservée : Flows n’appelle que des services publics.
ui-refusal-extension-timeout = Donnez un délai de 1 à { $max } millisecondes.
ui-refusal-extension-never_shared = « { $name } » n’est jamais transmis à une extension.
ui-refusal-extension-not_attribute = « { $name } » n’est pas un nom d’attribut.
ui-refusal-extension-too_many = Indiquez au plus { $max } attributs.
ui-refusal-extension-event = « { $name } » n’est pas un événement ; utilisez { $events }.
ui-refusal-extension-on_failure = Choisissez allow ou deny.
ui-refusal-extension-secret = Donnez un secret de 16 octets ou plus (whsec_… comme l’écrit Standard Webhooks), ou laissez le champ vide pour que Flows en crée un.

## Connexions
ui-refusal-connection-control = Retirez-en les caractères de contrôle (sauts de ligne, tabulations, NUL…).
ui-refusal-connection-name = Utilisez de 1 à 40 lettres minuscules, chiffres et traits d’union, comme google ou staff-sso.
ui-refusal-connection-taken = Une connexion s’appelle déjà « { $name } ».
ui-refusal-connection-preset = Choisissez oidc, google, microsoft, github ou oauth2.
ui-refusal-connection-endpoint = Donnez l’URL https du fournisseur pour ce champ.
ui-refusal-connection-tenant = Remplacez TENANT par l’identifiant de votre tenant Microsoft (ou par consumers).
ui-refusal-connection-discovery = Donnez l’URL https du fournisseur se terminant par /.well-known/openid-configuration.
ui-refusal-connection-client_id = Donnez l’identifiant client délivré par le fournisseur.
ui-refusal-connection-client_secret = Donnez le secret client délivré par le fournisseur.
ui-refusal-connection-scopes = Les scopes sont des mots isolés, et openid doit en faire partie (sauf pour github et oauth2).
ui-refusal-connection-claim = « { $claim } » n’est pas une revendication que Flows lit ; utilisez { $claims }.
ui-refusal-connection-claim_sets = Une revendication ne peut pas définir « { $attribute } ».

## Pourquoi un fournisseur ne répond pas (le test de connexion) ; le détail est dans les mots du fournisseur ou de la bibliothèque
ui-refusal-provider-bad_discovery_url = l’URL de découverte n’est pas une URL se terminant par /.well-known/openid-configuration
ui-refusal-provider-discovery = la découverte a échoué : { $detail }
ui-refusal-provider-exchange = l’échange du code a échoué : { $detail }
ui-refusal-provider-no_id_token = le fournisseur n’a envoyé aucun jeton d’identité
ui-refusal-provider-id_token = le jeton d’identité a été refusé : { $detail }

## Le texte ou la clé d’un message saisis par un administrateur ; le détail est dans les mots de l’analyseur Fluent
ui-refusal-text-control = Retirez de ce texte les caractères de contrôle invisibles.
ui-refusal-text-empty = Le texte est vide.
ui-refusal-text-syntax = Ligne { $line }, colonne { $column } : { $detail }.
ui-refusal-text-invalid = Le texte n’est pas du Fluent valide.
ui-refusal-text-one_message = Le texte doit être un seul message : indentez chaque ligne après la première.
ui-refusal-text-no_value = Le texte n’a pas de valeur, seulement des attributs.
ui-refusal-text-reference = {"{"}{ $name }{"}"} désigne un autre message ; pour insérer une valeur, écrivez {"{"} ${ $name } {"}"}.
ui-refusal-text-key = « { $key } » n’est pas une clé de message : utilisez des mots de lettres, chiffres et _ reliés par des points, comme terms.nickname

## Durées, telles que l’entonnoir les dit
ui-duration-seconds = { $s } s
ui-duration-minutes = { $m } min { $s } s
ui-duration-hours = { $h } h { $m } min
ui-duration-days = { $d } j { $h } h
