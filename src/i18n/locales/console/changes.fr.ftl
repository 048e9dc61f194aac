## Comparaison de versions : ce qui a changé entre deux versions d’un parcours, changement par changement

ui-change-flow_type = Type de parcours : { $from } devient { $to }.
ui-change-name = Nom : « { $from } » devient « { $to } ».
ui-change-description = Description : « { $from } » devient « { $to } ».
ui-change-start = Étape de départ : « { $from } » devient « { $to } ».
ui-change-step_added = Étape « { $step } » ajoutée ({ $kind }).
ui-change-step_removed = Étape « { $step } » retirée ({ $kind }).
ui-change-step_kind = L’étape « { $step } » est désormais { $now } (avant : { $was }).
ui-change-kind-view = page
ui-change-kind-task = tâche { $executor }
ui-change-kind-decision = décision
ui-change-kind-end = fin
ui-change-a_kind-view = une page
ui-change-a_kind-task = une tâche ({ $executor })
ui-change-a_kind-decision = une décision
ui-change-a_kind-end = une fin
ui-change-none = aucune
ui-change-list = { $first }, { $rest }

## Décisions
ui-change-branch_asks = La branche { $n } demande désormais « { $now } » (avant : « { $was } »).
ui-change-branch_leads = La branche { $n } mène désormais à « { $now } » (avant : « { $was } »).
ui-change-branch_added = Branche { $n } ajoutée : « { $when } » mène à « { $next } ».
ui-change-branch_removed = Branche { $n } retirée (« { $when } » menait à « { $next } »).
ui-change-otherwise_leads = « Sinon » mène désormais à « { $now } » (avant : « { $was } »).

## Tâches
ui-change-connection = Inscription par la connexion « { $now } » (avant : « { $was } »).
ui-change-extension = Appelle l’extension « { $now } » (avant : « { $was } »).
ui-change-executor = Exécuteur : { $from } devient { $to }.
ui-change-outcome_leads = Le résultat « { $outcome } » mène désormais à « { $now } » (avant : « { $was } »).
ui-change-outcome_added = Résultat « { $outcome } » ajouté, menant à « { $next } ».
ui-change-outcome_removed = Résultat « { $outcome } » retiré (il menait à « { $next } »).

## Pages : boutons et composants
ui-change-button_leads = Le bouton « { $button } » mène désormais à « { $now } » (avant : « { $was } »).
ui-change-action_added = Action ajoutée : le bouton « { $button } » mène à « { $next } ».
ui-change-action_removed = Action retirée : le bouton « { $button } » ne mène plus à « { $next } ».
ui-change-component_added = { $noun } « { $id } » { $noun ->
    [Image] ajoutée
   *[other] ajouté
}.
ui-change-component_removed = { $noun } « { $id } » { $noun ->
    [Image] retirée
   *[other] retiré
}.
ui-change-component_kind = « { $id } » est désormais { $now } (avant : { $was }).
ui-change-noun-form = Formulaire
ui-change-noun-input = Champ
ui-change-noun-button = Bouton
ui-change-noun-text = Texte
ui-change-noun-rich_text = Texte enrichi
ui-change-noun-divider = Séparateur
ui-change-noun-image = Image
ui-change-a_noun-form = un formulaire
ui-change-a_noun-input = un champ
ui-change-a_noun-button = un bouton
ui-change-a_noun-text = un texte
ui-change-a_noun-rich_text = un texte enrichi
ui-change-a_noun-divider = un séparateur
ui-change-a_noun-image = une image
ui-change-moved_from_into = « { $id } » déplacé de « { $from } » dans « { $to } ».
ui-change-moved_into = « { $id } » déplacé dans « { $to } ».
ui-change-moved_out_of = « { $id } » sorti de « { $from } ».
ui-change-moved_after = « { $id } » déplacé, désormais après « { $before } ».
ui-change-moved_first = « { $id } » déplacé, désormais en premier.
ui-change-variant = Variante de « { $id } » : { $from } devient { $to }.
ui-change-required = « { $id } » est désormais obligatoire.
ui-change-not_required = « { $id } » n’est plus obligatoire.
ui-change-field_changed = { $field } de « { $id } » : « { $was } » devient « { $now } ».
ui-change-field_set = { $field } de « { $id } » : désormais « { $now } ».
ui-change-field_removed = { $field } de « { $id } » : retiré (c’était « { $was } »).
ui-change-field-attribute = Attribut
ui-change-field-label = Libellé
ui-change-field-placeholder = Texte indicatif
ui-change-field-hint = Aide
ui-change-field-default_value = Valeur par défaut
ui-change-field-text = Texte
ui-change-field-src = Adresse de l’image
ui-change-field-alt = Texte de remplacement
ui-change-field-button_type = Type de bouton
ui-change-field-length = Longueur du code
ui-change-field-action_id = Identifiant d’action
ui-change-options = Options de « { $id } » : « { $from } » devient « { $to } ».
ui-change-option = { $value } : { $label }
ui-change-no_option = aucune
ui-change-validations = Validations de « { $id } » : { $from } devient { $to }.
ui-change-validation-min_length = longueur minimale { $value }
ui-change-validation-max_length = longueur maximale { $value }
ui-change-validation-regex = motif { $pattern }
ui-change-validation-password_policy = politique de mot de passe

## Widgets : leurs noms et descriptions dans l’éditeur du brouillon, où ils se placent, pourquoi l’un est refusé
ui-widget-email_otp-name = Vérification par code envoyé par e-mail
ui-widget-email_otp-description = Envoie un code à usage unique à l’adresse e-mail recueillie et le demande ; le parcours continue une fois le bon code saisi. Il faut une page plus tôt qui demande l’adresse e-mail.
ui-widget-sms_otp-name = Vérification par code envoyé par SMS
ui-widget-sms_otp-description = Envoie un code à usage unique par SMS au numéro de mobile recueilli et le demande ; le parcours continue une fois le bon code saisi, et le numéro est gardé comme vérifié. Il faut une page plus tôt qui demande le numéro de mobile (un champ TELEPHONE).
ui-widget-magic_link-name = Vérification par lien envoyé par e-mail
ui-widget-magic_link-description = Envoie un lien à usage unique à l’adresse e-mail recueillie ; le parcours continue, sur n’importe quel appareil, une fois le lien ouvert. Il faut une page plus tôt qui demande l’adresse e-mail.
ui-widget-password-name = Mot de passe
ui-widget-password-description = Une page où la personne choisit un mot de passe, vérifié selon la politique de mot de passe ; le compte le reçoit à sa création.
ui-widget-profile-name = Informations de profil
ui-widget-profile-description = Une page qui demande le prénom et le nom de la personne.
ui-widget-terms-name = Acceptation des conditions
ui-widget-terms-description = Une page où la personne doit cocher qu’elle accepte les conditions d’utilisation et la politique de confidentialité ; le compte garde trace de cette acceptation à sa création.
ui-widget-approval-name = Approbation par un administrateur
ui-widget-approval-description = Le compte créé par l’inscription attend en PENDING_APPROVAL qu’un administrateur l’approuve dans la console ou par l’API de gestion ; la personne est prévenue par e-mail. Placez-le avant ou après la création du compte ; une décision placée avant peut n’y envoyer que certaines personnes.
ui-widget-extension_call-name = Vérification par votre service
ui-widget-extension_call-description = Un appel à l’une de vos extensions (indiquez son nom sur l’étape) : elle autorise, refuse avec un message à côté d’un champ en gardant ce qui a été saisi, ou fixe les attributs qu’elle a le droit de fixer.
ui-widget-choice = { $name } : { $description }
ui-widget-edge-button = { $step } → { $next } (bouton { $button })
ui-widget-edge-outcome = { $step } → { $next } (résultat { $outcome })
ui-widget-edge-branch = { $step } → { $next } (branche { $n } : { $when })
ui-widget-edge-otherwise = { $step } → { $next } (sinon)
ui-widget-wrong_flow_type = Le widget « { $widget } » n’est pas prévu pour les parcours { $flow_type }.
ui-widget-unknown_edge = Le parcours n’a pas de liaison « { $edge } ».
ui-widget-broken = Le widget « { $widget } » renvoie à « { $what } », qui n’est pas l’une de ses étapes.
