# Les mots de la console (clés `ui.…`), dans les mêmes catalogues que les pages hébergées.

## La mise en page
ui-skip = Aller au contenu principal
ui-brand = Console { $product }
ui-nav = Console
ui-nav-users = Utilisateurs
ui-nav-invitations = Invitations
ui-nav-approvals = Validations
ui-nav-flows = Parcours
ui-nav-texts = Textes
ui-nav-tokens = Jetons d’API
ui-nav-extensions = Extensions
ui-nav-connections = Connexions
ui-nav-settings = Réglages
ui-nav-audit = Journal d’audit
ui-nav-funnel = Entonnoir
ui-nav-admins = Administrateurs
ui-nav-sign_out = Se déconnecter
ui-crumbs = Fil d’Ariane
ui-crumb-console = Console
ui-errors-title = Il y a un problème
ui-errors-prefix = Erreur :

## Types de parcours
ui-flow_type-registration = Inscription
ui-flow_type-password_recovery = Récupération du mot de passe
ui-flow_type-invited_user_registration = Inscription sur invitation

## Connexion
ui-login-title = Se connecter à la console
ui-login-expired = Votre session de console a pris fin après un moment sans activité. Reconnectez-vous pour continuer.
ui-login-email = Adresse e-mail
ui-login-password = Mot de passe
ui-login-button = Se connecter

## Votre compte
ui-account-title = Votre compte
ui-account-signed_in_as = Connecté en tant que { $email }.
ui-account-password-title = Changer de mot de passe
ui-account-password-current = Mot de passe actuel
ui-account-password-new = Nouveau mot de passe
ui-account-password-hint = Au moins { $min } caractères, pas un mot de passe courant.
ui-account-password-button = Changer le mot de passe
ui-account-password-note = Changer de mot de passe vous déconnecte de la console partout ailleurs.
ui-account-password-changed = Votre mot de passe a été changé.
ui-account-password-wrong = Votre mot de passe actuel n’est pas le bon.
ui-account-password-blocked = Trop de mots de passe erronés pour cette adresse. Réessayez dans { $minutes } minutes.
ui-account-language-title = Langue de la console
ui-account-language-label = La console parle
ui-account-language-browser = Comme le demande mon navigateur
ui-account-language-button = Enregistrer la langue
ui-account-language-saved = La console vous parle désormais en { $language }.
ui-account-language-follows = La console suit désormais la langue de votre navigateur.

## L’accueil
ui-home-title = Console
ui-flows-title = Parcours
ui-home-find_text = Trouver un texte à changer (clé ou mots, toute langue)
ui-home-find = Trouver
ui-today-title = Ce qui vous attend aujourd’hui
ui-today-nothing = Rien ne vous attend : aucune validation, aucun envoi en échec, tous les parcours ouverts.
ui-today-approvals = { $count ->
    [one] 1 compte attend une validation
   *[other] { $count } comptes attendent une validation
}
ui-today-renewals = { $count ->
    [one] 1 invité demande un nouveau lien
   *[other] { $count } invités demandent un nouveau lien
}
ui-today-mail_failed = { $count ->
    [one] 1 message n’a pas pu être envoyé
   *[other] { $count } messages n’ont pas pu être envoyés
}
ui-today-deliveries_failed = { $count ->
    [one] 1 envoi de webhook a échoué
   *[other] { $count } envois de webhook ont échoué
}
ui-today-flow_off = { $flow } est fermé
ui-today-unopened = { $count ->
    [one] 1 invitation pas encore ouverte
   *[other] { $count } invitations pas encore ouvertes
}
ui-today-funnel_drop = { $flow } : { $now } % des parcours commencés la semaine dernière ont abouti, contre { $before } % la semaine d’avant
ui-home-registrations = Inscriptions
ui-home-today = Aujourd’hui
ui-home-week = Cette semaine
ui-home-mail = Courriels
ui-home-nothing_sent = Rien d’envoyé pour l’instant.
ui-home-mail-waiting = En attente
ui-home-mail-sent = Envoyés
ui-home-mail-failed = En échec
ui-home-failed-title = Courriels abandonnés par la file d’envoi
ui-home-failed-to = À
ui-home-failed-subject = Objet
ui-home-failed-tries = Essais
ui-home-failed-error = Dernière erreur
ui-home-failed-queued = Mis en file
ui-home-failed-actions = Actions
ui-home-failed-retry = Réessayer
ui-home-failed-retry_to = le courriel à { $to }
ui-home-recent = Changements récents
ui-home-recent-when = Quand
ui-home-recent-who = Qui
ui-home-recent-what = Quoi
ui-home-recent-subject = Sujet
ui-card-state = État
ui-card-enabled = Ouvert
ui-card-disabled = Fermé
ui-card-published = Publié
ui-card-version = Version { $version }, { $name }
ui-card-by = par { $author }, { $at }
ui-card-nothing_published = Rien de publié
ui-card-draft = Brouillon
ui-card-edited = Modifié par { $author }, { $at }
ui-card-valid = Valide
ui-card-problems = { $count ->
    [one] 1 problème
   *[other] { $count } problèmes
}
ui-card-no_draft = Aucun
ui-card-view = Voir
ui-card-view_published = Voir le parcours publié
ui-card-edit_draft = Modifier le brouillon
ui-card-history = Historique

## Textes et traductions
ui-texts-title = Textes et traductions
ui-texts-search = Clé ou texte, toute langue
ui-texts-missing = Manquant en
ui-texts-any_language = (toute langue)
ui-texts-find = Trouver
ui-texts-all_groups = Tous les groupes
ui-texts-search_all = Chercher dans tous les groupes
ui-texts-groups = Groupes
ui-texts-intro = Un libellé, une aide ou un texte d’un parcours s’écrit tel quel, ou comme une clé de message { "{{" }t(clé){ "}}" } : il montre alors le texte de la clé dans la langue de la personne. Un texte changé s’affiche aussitôt ; videz un champ pour revenir au texte d’origine. Les textes suivent Fluent : { "{" } $email { "}" } montre une valeur recueillie.
ui-texts-keys = { $count ->
    [one] 1 clé
   *[other] { $count } clés
}
ui-texts-missing_in = { $count } manquantes en { $language }
ui-texts-emails = Les courriels ont leur propre page, avec les variables de chaque texte, un aperçu et un envoi d’essai :
ui-texts-emails_link = Textes des courriels
ui-texts-files = Une langue dans un fichier
ui-texts-files-intro = Téléchargez une langue dans un fichier Fluent (.ftl, le format des catalogues intégrés), faites-la traduire, puis renvoyez-la. Tout le fichier est vérifié avant le moindre changement ; les clés absentes du fichier gardent leur texte.
ui-texts-download = Télécharger { $language }
ui-texts-file_language = Langue du fichier
ui-texts-file = Fichier Fluent
ui-texts-upload = Envoyer les textes
ui-texts-found = { $what } : { $count ->
    [one] 1 clé
   *[other] { $count } clés
}
ui-texts-page_of = page { $page } sur { $pages }
ui-texts-none = Aucune clé ne correspond.
ui-texts-see_groups = Voir tous les groupes
ui-texts-in_editor = dans l’éditeur
ui-texts-changed = Modifié
ui-texts-no_language = Pas de { $language }
ui-texts-used_by = Utilisé par { $uses }.
ui-texts-built_in = D’origine : { $text }
ui-texts-no_built_in = Pas de texte d’origine : l’anglais s’affiche, ou la clé elle-même.
ui-texts-save = Enregistrer les textes
ui-texts-save_of = de { $key }
ui-texts-previous = Précédente
ui-texts-next = Suivante
ui-texts-pages = Pages
ui-texts-page = Page { $page } sur { $pages }
ui-texts-new = Un nouveau message
ui-texts-new-intro = Donnez-lui une clé comme terms.nickname, puis écrivez { "{{" }t(terms.nickname){ "}}" } comme libellé ou texte d’un parcours.
ui-texts-new-key = Clé
ui-texts-new-add = Ajouter le message
ui-texts-import-refused = Le fichier n’a pas été importé
ui-texts-import-problems = Problèmes dans le fichier { $language }
ui-texts-import-line = Ligne
ui-texts-import-problem = Problème
ui-texts-import-mend = Corrigez le fichier et renvoyez-le depuis
ui-login-csrf = Pour votre sécurité, le formulaire n’a pas pu être envoyé. Réessayez.
ui-login-wrong = L’adresse e-mail ou le mot de passe n’est pas le bon.
ui-login-blocked = Trop de connexions échouées pour cette adresse. Réessayez dans { $minutes } minutes.
ui-texts-group-mail = Courriels et SMS
ui-texts-group-errors = Erreurs et pages de problème
ui-texts-group-pages = Libellés, boutons et textes des pages
ui-texts-group-console = Les mots de la console
ui-texts-group-own = Vos propres clés
ui-texts-section-step = { $flow } : étape « { $step } »
ui-texts-section-mail = Courriels
ui-texts-section-sms = SMS
ui-texts-section-error = À côté d’un champ
ui-texts-section-errors = Récapitulatif des erreurs
ui-texts-section-problem = Pages de problème
ui-texts-section-field = Champs
ui-texts-section-button = Boutons
ui-texts-section-link = Liens
ui-texts-section-notice = Avis
ui-texts-section-other = « { $word } »
ui-texts-heading-step = étape « { $step } »
ui-texts-heading-key = clé « { $key } »
ui-texts-heading-search = contenant « { $text } »
ui-texts-heading-missing = manquant en { $language }
ui-texts-use-published = { $flow }, étape « { $step } » (publié)
ui-texts-use-draft = { $flow }, étape « { $step } » (brouillon)
ui-texts-no_text = (pas encore de texte)
ui-texts-saved = Textes de « { $key } » enregistrés : ils s’affichent aussitôt.
ui-texts-unchanged = Rien à changer dans « { $key } ».
ui-texts-new-empty = Donnez au nouveau message un texte dans au moins une langue.
ui-texts-imported = Textes en { $language } importés : { $changed } changés, { $reset } revenus au texte d’origine, { $unchanged } inchangés.
ui-texts-import-count = { $count ->
    [one] 1 problème dans le fichier : rien n’a changé.
   *[other] { $count } problèmes dans le fichier : rien n’a changé.
}
ui-texts-import-too_large = le fichier dépasse { $kib } Kio
ui-texts-import-not_utf8 = le fichier n’est pas du texte UTF-8
ui-texts-import-no_language = choisissez la langue du fichier
ui-texts-import-no_file = choisissez un fichier

## Le schéma du parcours
ui-diagram-title = Schéma du parcours « { $name } » : { $count ->
    [one] 1 étape
   *[other] { $count } étapes
}, à partir de { $start }
ui-diagram-view = Étape d’affichage { $id }
ui-diagram-task = Tâche { $id } : { $executor }
ui-diagram-rule = Étape de décision { $id }
ui-diagram-end = Étape de fin { $id }
ui-diagram-missing = Étape manquante { $id } : rien ne porte ce nom
ui-diagram-missing_label = manquante : { $id }
ui-diagram-start = Le parcours commence à { $id }
ui-diagram-kind-view = affichage
ui-diagram-kind-rule = décision
ui-diagram-kind-end = fin
ui-diagram-kind-start = début
ui-home-text_message = SMS ({ $kind })
ui-home-retried = Le courriel est remis en file et partira dans un instant.
ui-home-not_retried = Ce courriel n’attend pas de nouvel essai, ou son contenu n’est plus gardé (au-delà de la durée de vie de ses liens) : demandez à la personne de recommencer.
ui-preview-draft = { $flow }, étape { $step } du brouillon, avec des valeurs d’exemple. Ses boutons ne mènent nulle part.
ui-preview-version = { $flow }, étape { $step } de la version { $version }, avec des valeurs d’exemple. Ses boutons ne mènent nulle part.

ui-said-example = L’étape « { $step } » est refusée : { $why }
ui-said-example_reason = elle n’a pas d’identifiant.
