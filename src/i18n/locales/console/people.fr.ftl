# Les pages des personnes dans la console : Utilisateurs, un compte, Invitations,
# Approbations, et la page de confirmation commune. Ajouté au catalogue français.

## Commun
ui-people-yes = Oui
ui-people-no = Non
ui-people-waiting = En attente d’approbation
ui-people-pages = Pages
ui-people-confirm-cancel = Annuler

## Utilisateurs
ui-people-users-title = Utilisateurs
ui-people-users-search = L’adresse, l’identifiant ou le nom contient
ui-people-users-state = État
ui-people-users-all = Tous
ui-people-users-status-active = Actif
ui-people-users-status-locked = Verrouillé
ui-people-users-status-disabled = Désactivé
ui-people-users-status-pending = En attente d’approbation
ui-people-users-search_button = Rechercher
ui-people-users-hint = Une adresse dont les connexions sont refusées un temps après des échecs répétés indique jusqu’à quand dans sa ligne, quel que soit l’état du compte ; Déverrouiller lève ce refus.
ui-people-users-none = Aucun compte ne correspond.
ui-people-users-caption = Comptes, les plus récents d’abord
ui-people-users-chosen = Choisi
ui-people-users-email = Adresse e-mail
ui-people-users-name = Nom
ui-people-users-verified = Adresse confirmée
ui-people-users-created = Créé
ui-people-users-choose = Choisir { $email }
ui-people-users-refused_until = Connexion refusée jusqu’au { $until }
ui-people-users-until_unlocked = Jusqu’au déverrouillage
ui-people-users-with_chosen = Avec les comptes choisis
ui-people-users-unlock = Déverrouiller
ui-people-users-disable = Désactiver
ui-people-users-enable = Activer
ui-people-users-newer = Plus récents
ui-people-users-older = Plus anciens
ui-people-users-page = Page { $page }

## Le formulaire groupé de la liste des utilisateurs
ui-people-bulk-unknown = Choisissez Déverrouiller, Désactiver ou Activer.
ui-people-bulk-too_many = Choisissez au plus { $max } comptes à la fois.
ui-people-bulk-unlock-none = Choisissez au moins un compte à déverrouiller : cochez la case de chacun.
ui-people-bulk-disable-none = Choisissez au moins un compte à désactiver : cochez la case de chacun.
ui-people-bulk-enable-none = Choisissez au moins un compte à activer : cochez la case de chacun.
ui-people-bulk-unlock-done = { $count ->
    [0] Aucun compte déverrouillé.
    [one] 1 compte déverrouillé.
   *[other] { $count } comptes déverrouillés.
}
ui-people-bulk-disable-done = { $count ->
    [0] Aucun compte désactivé.
    [one] 1 compte désactivé.
   *[other] { $count } comptes désactivés.
}
ui-people-bulk-enable-done = { $count ->
    [0] Aucun compte activé.
    [one] 1 compte activé.
   *[other] { $count } comptes activés.
}
ui-people-bulk-unlock-unchanged = Rien à faire pour { $who } (ni verrouillé ni refusant les connexions).
ui-people-bulk-disable-unchanged = Rien à faire pour { $who } (déjà désactivé).
ui-people-bulk-enable-unchanged = Rien à faire pour { $who } (déjà actif).
ui-people-bulk-not_found = Compte inexistant : { $list }.
ui-people-bulk-more = { $list } et { $more } de plus

## Un compte
ui-people-user-name = Nom
ui-people-user-username = Identifiant
ui-people-user-state = État
ui-people-user-queue = L’approuver ou le refuser dans la file d’approbation
ui-people-user-verified = Adresse confirmée
ui-people-user-created = Créé
ui-people-user-last_sign_in = Dernière connexion
ui-people-user-no_sign_in = Pas parmi les 50 derniers événements
ui-people-user-disable = Désactiver
ui-people-user-enable = Activer
ui-people-user-unlock = Déverrouiller
ui-people-user-sign_out = Déconnecter partout
ui-people-user-delete = Supprimer
ui-people-user-recovery-title = Récupération du mot de passe
ui-people-user-recovery-words = Envoie à { $email } l’e-mail du parcours de récupération du mot de passe publié, comme s’il l’avait demandé : son lien permet de choisir un nouveau mot de passe, sur n’importe quel appareil. Le mot de passe actuel reste valable jusque-là.
ui-people-user-recovery-button = Envoyer un e-mail de récupération du mot de passe
ui-people-user-recovery-inactive = Seul un compte actif peut récupérer son mot de passe : activez ou déverrouillez d’abord celui-ci.
ui-people-user-attributes = Attributs
ui-people-user-none = Aucun.
ui-people-user-attribute = Attribut
ui-people-user-value = Valeur
ui-people-user-events = Événements récents
ui-people-user-audit_link = Toutes les entrées du journal d’audit sur cette personne
ui-people-user-audit_rest = , comme auteur ou comme sujet, et ses parcours avant la création du compte.
ui-people-user-none_recorded = Aucun enregistré.
ui-people-user-when = Quand
ui-people-user-who = Qui
ui-people-user-what = Quoi
ui-people-user-recovery-sent = Un e-mail de récupération du mot de passe part vers { $email } : son lien permet de choisir un nouveau mot de passe.
ui-people-user-recovery-not_active = Aucun e-mail n’a été envoyé : { $email } est { $status }, et seul un compte actif peut récupérer son mot de passe. Activez-le ou déverrouillez-le d’abord.
ui-people-user-recovery-no_flow = Aucun e-mail n’a été envoyé : aucun parcours de récupération du mot de passe n’est publié.
ui-people-user-recovery-disabled = Aucun e-mail n’a été envoyé : le parcours de récupération du mot de passe est désactivé.
ui-people-user-recovery-no_address_step = Aucun e-mail n’a été envoyé : le parcours de récupération publié ne commence pas par demander une adresse seule, il ne peut donc pas être lancé pour quelqu’un d’autre.
ui-people-user-recovery-by_code = Aucun e-mail n’a été envoyé : le parcours de récupération publié vérifie un code saisi sur la page où la récupération a été demandée, et un code envoyé à quelqu’un qui n’a jamais ouvert cette page ne sert à rien. Publiez un parcours de récupération qui envoie un lien de réinitialisation par e-mail (le modèle « Lien de réinitialisation par e-mail ») pour envoyer des e-mails de récupération d’ici.

## Ce qu’un opérateur fait d’un compte, chaque fois confirmé sur une page à part
ui-people-action-disable-title = Désactiver { $email }
ui-people-action-disable-question = Désactiver { $email } ?
ui-people-action-disable-words = Le compte ne peut plus se connecter ni récupérer son mot de passe, et ses sessions prennent fin. Vous pouvez le réactiver à tout moment.
ui-people-action-disable-button = Désactiver le compte
ui-people-action-disable-done = { $email } est désactivé.
ui-people-action-enable-title = Activer { $email }
ui-people-action-enable-question = Activer { $email } ?
ui-people-action-enable-words = Le compte peut de nouveau se connecter.
ui-people-action-enable-button = Activer le compte
ui-people-action-enable-done = { $email } est activé.
ui-people-action-unlock-title = Déverrouiller { $email }
ui-people-action-unlock-question = Déverrouiller { $email } ?
ui-people-action-unlock-words = La limitation des connexions de cette adresse est levée (et un compte verrouillé redevient actif) : son titulaire peut se connecter tout de suite.
ui-people-action-unlock-button = Déverrouiller le compte
ui-people-action-unlock-done = { $email } est déverrouillé.
ui-people-action-sign_out-title = Déconnecter { $email } partout
ui-people-action-sign_out-question = Déconnecter { $email } partout ?
ui-people-action-sign_out-words = Toutes les sessions de ce compte prennent fin, sur tous les appareils ; son titulaire se reconnecte.
ui-people-action-sign_out-button = Déconnecter partout
ui-people-action-sign_out-done = Toutes les sessions de { $email } ont pris fin.
ui-people-action-delete-title = Supprimer { $email }
ui-people-action-delete-question = Supprimer { $email } ?
ui-people-action-delete-words = Le compte et ses attributs sont supprimés définitivement ; l’adresse peut s’inscrire de nouveau. Le journal d’audit garde ce qui s’est passé, sans les attributs.
ui-people-action-delete-button = Supprimer le compte
ui-people-action-delete-done = Le compte { $email } est supprimé.

## Approbations
ui-people-approvals-title = Approbations
ui-people-approvals-none = Aucun compte n’attend d’approbation.
ui-people-approvals-intro = { $count ->
    [one] 1 compte attend
   *[other] { $count } comptes attendent
} une approbation, les plus anciens d’abord. Chaque personne est prévenue par e-mail, dans la langue de son inscription ; un compte refusé est supprimé, et l’adresse peut s’inscrire de nouveau.
ui-people-approvals-caption = Comptes en attente d’approbation, les plus anciens d’abord
ui-people-approvals-email = Adresse e-mail
ui-people-approvals-name = Nom
ui-people-approvals-registered = Inscrit le
ui-people-approvals-language = Langue
ui-people-approvals-decision = Décision
ui-people-approvals-not_known = Inconnue
ui-people-approvals-approve = Approuver
ui-people-approvals-reject = Refuser
ui-people-approvals-reason = Motif du refus
ui-people-approvals-reason_of = de { $email }
ui-people-approvals-reason_hint = La personne le lit dans l’e-mail qui l’en informe ; { $max } caractères au plus.
ui-people-approvals-older = Plus anciens
ui-people-approvals-newer = Plus récents
ui-people-approvals-page = Page { $page } sur { $pages }
ui-people-approvals-approved = { $email } approuvé.
ui-people-approvals-rejected = { $email } refusé.
ui-people-approvals-not_waiting = Quelqu’un a déjà statué sur ce compte.

## Invitations
ui-people-invitations-title = Invitations
ui-people-invitations-optional = (facultatif)
ui-people-invitations-invite-title = Inviter quelqu’un
ui-people-invitations-invite-words = La personne reçoit un e-mail avec un lien pour créer son compte ; il est valable 7 jours.
ui-people-invitations-invite-change_text = Modifier le texte de l’e-mail d’invitation
ui-people-invitations-email = Adresse e-mail
ui-people-invitations-given_name = Prénom
ui-people-invitations-family_name = Nom
ui-people-invitations-language = Sa langue
ui-people-invitations-language_hint = L’e-mail d’invitation, tout nouvel envoi ultérieur et les pages qu’ouvre son lien sont dans cette langue.
ui-people-invitations-invited_by = Invité par
ui-people-invitations-invited_by_hint = Le nom qu’affiche l’e-mail ; « Un administrateur » s’il est vide.
ui-people-invitations-send = Envoyer l’invitation
ui-people-invitations-bulk-title = Inviter plusieurs personnes
ui-people-invitations-bulk-caption = Résultats, un par adresse
ui-people-invitations-bulk-address = Adresse
ui-people-invitations-bulk-result = Résultat
ui-people-invitations-bulk-not_invited = Non invité :
ui-people-invitations-bulk-addresses = Adresses, une par ligne
ui-people-invitations-bulk-button = Les inviter
ui-people-invitations-upload-title = Inviter depuis un fichier CSV
ui-people-invitations-upload-hint_columns = Une ligne d’en-tête, puis une personne par ligne :
ui-people-invitations-upload-hint_only = Seule la colonne
ui-people-invitations-upload-hint_rest = est requise ; une langue vide est la langue par défaut. Au plus { $max } lignes. Chaque ligne est d’abord vérifiée : si l’une est refusée, personne n’est invité.
ui-people-invitations-upload-caption = Lignes refusées : rien n’a été envoyé. Corrigez-les et envoyez de nouveau le fichier.
ui-people-invitations-upload-row = Ligne
ui-people-invitations-upload-address = Adresse
ui-people-invitations-upload-why = Motif
ui-people-invitations-upload-file = Fichier CSV
ui-people-invitations-upload-button = Vérifier et les inviter
ui-people-invitations-list-title = Invitations envoyées
ui-people-invitations-list-status = Statut
ui-people-invitations-list-all = Toutes
ui-people-invitations-list-address_contains = L’adresse contient
ui-people-invitations-list-filter = Filtrer
ui-people-invitations-list-none = Aucune invitation ne correspond.
ui-people-invitations-list-caption = Invitations, les plus récentes d’abord
ui-people-invitations-list-address = Adresse
ui-people-invitations-list-language = Langue
ui-people-invitations-list-invited_by = Invité par
ui-people-invitations-list-sent = Envoyée
ui-people-invitations-list-expires = Expire
ui-people-invitations-list-actions = Actions
ui-people-invitations-list-renewal = Nouveau lien demandé
ui-people-invitations-list-resend = Renvoyer
ui-people-invitations-list-resend_to = à { $email }
ui-people-invitations-list-revoke = Révoquer
ui-people-invitations-list-revoke_to = l’invitation de { $email }
ui-people-invitations-status-pending = en attente
ui-people-invitations-status-opened = ouverte
ui-people-invitations-status-accepted = acceptée
ui-people-invitations-status-expired = expirée
ui-people-invitations-status-renewal = nouveau lien demandé
ui-people-invitations-status-revoked = révoquée
ui-people-invitations-status-replaced = remplacée
ui-people-invitations-invalid_email = Saisissez une adresse e-mail, comme nom@example.com.
ui-people-invitations-already_registered = Cette adresse a déjà un compte.
ui-people-invitations-mail_quota = Cette adresse a reçu { $count } e-mails dans la dernière heure, le maximum permis. Réessayez plus tard.
ui-people-invitations-failed = L’invitation n’a pas pu être faite ; réessayez.
ui-people-invitations-sent = Invitation envoyée à { $email }.
ui-people-invitations-bulk-empty = Collez au moins une adresse, une par ligne.
ui-people-invitations-bulk-too_many = Au plus { $max } adresses à la fois.
ui-people-invitations-bulk-invited = Invité.
ui-people-invitations-nothing_to_resend = L’invitation de { $email } est { $status } : il n’y a rien à renvoyer.
ui-people-invitations-resent = Une nouvelle invitation a été envoyée à { $email } ; l’ancien lien ne fonctionne plus.
ui-people-invitations-not_pending = L’invitation de { $email } n’est plus en attente.
ui-people-invitations-revoked = L’invitation de { $email } est révoquée : son lien ne fonctionne plus.
ui-people-invitations-upload-too_large = Le fichier dépasse { $kib } Kio.
ui-people-invitations-upload-unreadable = Le fichier n’a pas pu être lu : envoyez du CSV en texte UTF-8.
ui-people-invitations-upload-no_file = Choisissez un fichier CSV.
ui-people-invitations-upload-nothing_sent = Personne n’a été invité : { $count } ligne(s) refusée(s). Corrigez-les et envoyez de nouveau le fichier.
ui-people-invitations-upload-sent = { $count ->
    [one] 1 invitation envoyée.
   *[other] { $count } invitations envoyées.
}
ui-people-invitations-upload-missed_one = { $email } (ligne { $row } : { $reason })
ui-people-invitations-upload-missed = { $count } invitation(s) envoyée(s) ; celles-ci n’ont pas pu l’être : { $missed }

## Un fichier CSV d’invitations, refusé en entier
ui-people-invitations-csv-after_quote = Ligne { $line } : après le guillemet fermant d’un champ, seuls une virgule ou la fin de la ligne peuvent suivre.
ui-people-invitations-csv-open_quote = Ligne { $line } : un champ entre guillemets n’est jamais fermé (il manque un ").
ui-people-invitations-csv-empty = Le fichier est vide : il faut une ligne d’en-tête, puis une personne par ligne.
ui-people-invitations-csv-unknown_column = L’en-tête nomme une colonne « { $column } » que cet envoi ne prend pas : les colonnes sont { $columns }.
ui-people-invitations-csv-twice = L’en-tête nomme deux fois la colonne « { $column } ».
ui-people-invitations-csv-no_email = L’en-tête n’a pas de colonne « email » : la première ligne nomme les colonnes ({ $columns }).
ui-people-invitations-csv-nobody = Le fichier a un en-tête mais personne à inviter.
ui-people-invitations-csv-too_many = Le fichier compte { $count } personnes ; au plus { $max } peuvent être invitées à la fois. Divisez-le.
ui-people-invitations-csv-row_fields = Cette ligne a { $count } champ(s) ; l’en-tête en nomme { $columns }.

## Pourquoi une ligne d’un fichier CSV est refusée, et pourquoi un refus l’est
ui-people-invitations-row-invalid_email = Ce n’est pas une adresse e-mail.
ui-people-invitations-row-duplicate = La même adresse figure à la ligne { $row }.
ui-people-invitations-row-already_registered = Cette adresse a déjà un compte.
ui-people-invitations-row-unknown_language = Aucune langue « { $tag } » : utilisez l’une de { $known }, ou laissez vide.
ui-people-invitations-row-not_prefillable = « { $name } » ne peut pas être prérempli pour la personne invitée.
ui-people-invitations-row-bad_value = La valeur de { $column } dépasse { $max } caractères ou contient des caractères de contrôle.
ui-people-invitations-row-mail_quota = Cette adresse a reçu { $count } e-mails dans la dernière heure, le maximum permis.
ui-people-invitations-row-failed = L’invitation n’a pas pu être faite.
ui-people-approvals-reason_missing = Dites pourquoi, pour que la personne le sache.
ui-people-approvals-reason_too_long = Le motif doit faire moins de 1 000 caractères.
