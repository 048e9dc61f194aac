## Constructeur de parcours : la page d’un parcours, ses versions, les comparaisons, l’import, l’éditeur du brouillon

ui-builder-state = État
ui-builder-published = Publiée
ui-builder-live = En service
ui-builder-by = par { $author }
ui-builder-by_at = par { $author }, { $at }
ui-builder-history = Historique des versions
ui-builder-go_to_draft = Aller au brouillon
ui-builder-the_published = La version publiée
ui-builder-version_n = Version { $version }
ui-builder-roll_back_to = Revenir à la version { $version }

## La page d’un parcours
ui-builder-flow-enabled = Activé
ui-builder-flow-enabled_means = { " " }: ses pages sont ouvertes à tous.
ui-builder-flow-disabled = Désactivé
ui-builder-flow-disabled_means = { " " }: ses pages indiquent qu’il n’est pas disponible.
ui-builder-flow-published_as = Version { $version }, { $name }
ui-builder-flow-nothing_published = Rien n’est publié
ui-builder-flow-disable = Désactiver le parcours « { $flow } »
ui-builder-flow-enable = Activer le parcours « { $flow } »
ui-builder-flow-funnel = Entonnoir
ui-builder-flow-download_version = Télécharger la version { $version } en JSON
ui-builder-flow-draft = Brouillon
ui-builder-flow-draft_edited = Un brouillon est en cours de modification.
ui-builder-flow-draft_how = Les changements se font dans un brouillon, puis sont publiés comme une nouvelle version.
ui-builder-flow-start_from = Commencer le brouillon à partir de
ui-builder-flow-starter = Modèle de départ : { $name }
ui-builder-flow-start = Commencer un brouillon
ui-builder-flow-diagram_of = Schéma de la version { $version }
ui-builder-flow-steps_of = Étapes de « { $name } »
ui-builder-flow-choose_enabled = Choisissez d’activer ou de désactiver.
ui-builder-flow-now_enabled = { $flow } est activé : ses pages sont ouvertes.
ui-builder-flow-now_disabled = { $flow } est désactivé : ses pages indiquent désormais qu’il n’est pas disponible.
ui-builder-flow-choose_source = Choisissez à partir de quoi commencer le brouillon.
ui-builder-flow-started = Brouillon commencé à partir de : { $from }.
ui-builder-flow-no_published = Aucune version publiée à partir de laquelle commencer.
ui-builder-flow-draft_exists = Il y a déjà un brouillon : le voici. Abandonnez-le d’abord pour en commencer un autre.
ui-builder-flow-not_started = Le brouillon n’a pas pu être commencé.

## Étapes en lecture seule
ui-builder-step-start = Début
ui-builder-step-preview = Aperçu de { $step }
ui-builder-kind-view = Page
ui-builder-kind-task = Tâche
ui-builder-kind-decision = Décision
ui-builder-kind-end = Fin
ui-builder-edge-button = Bouton { $button }
ui-builder-edge-runs = Exécute { $task }
ui-builder-edge-outcome = Résultat { $outcome }
ui-builder-edge-branch = Branche { $n } : { $when }
ui-builder-edge-otherwise = Sinon

## Versions
ui-builder-versions-draft_changes = Ce que change le brouillon
ui-builder-versions-compare_two = Comparer deux versions
ui-builder-versions-caption = Versions, la plus récente en premier
ui-builder-versions-version = Version
ui-builder-versions-name = Nom
ui-builder-versions-actions = Actions
ui-builder-versions-download = Télécharger
ui-builder-versions-download_which = { " " }la version { $version }
ui-builder-versions-compare_live = Comparer avec la version en service
ui-builder-versions-compare_which = { " " }(version { $version })
ui-builder-versions-replaced = Remplacée
ui-builder-versions-not_published = Non publiée
ui-builder-versions-rolled_back = La version { $number } est de nouveau en service, comme version { $version }. Les parcours en cours gardent la version avec laquelle ils ont commencé.
ui-builder-versions-no_such = Il n’y a pas de version { $number }.

## Une version
ui-builder-version-heading = Version { $version } : { $name }
ui-builder-version-not_live = Pas en service
ui-builder-version-note = Note
ui-builder-version-description = Description
ui-builder-version-download = Télécharger en JSON
ui-builder-version-compare_published = Comparer avec la version publiée
ui-builder-version-diagram = Schéma
ui-builder-version-steps = Étapes

## Comparer des versions
ui-builder-diff-title = Comparer des versions
ui-builder-diff-from = De
ui-builder-diff-to = À
ui-builder-diff-compare = Comparer
ui-builder-diff-same = Les deux sont identiques.
ui-builder-diff-changes = { $count ->
    [one] 1 changement
   *[other] { $count } changements
}
ui-builder-diff-kind = { $kind ->
    [added] ajouté
    [removed] retiré
   *[changed] modifié
}
ui-builder-diff-the_draft = Le brouillon
ui-builder-diff-choice = Version { $version } ({ $name }, { $at })
ui-builder-diff-missing = L’une des deux n’existe pas : choisissez deux versions qui existent.

## Import
ui-builder-import-title = Importer une définition
ui-builder-import-intro = Le JSON devient le brouillon de ce parcours, au même format qu’une version téléchargée ou que
ui-builder-import-replaces = Il remplace le brouillon actuel
ui-builder-import-undo = { " " }; « Annuler » sur la page du brouillon ramène l’ancien.
ui-builder-import-file = Un fichier JSON
ui-builder-import-paste = Ou collez-le
ui-builder-import-submit = Importer comme brouillon
ui-builder-import-unreadable_json = Le JSON n’a pas pu être lu à la ligne { $line }, colonne { $column } : { $what }.
ui-builder-import-too_large = La définition dépasse { $kib } Kio.
ui-builder-import-not_utf8 = L’envoi n’a pas pu être lu : envoyez du texte UTF-8.
ui-builder-import-empty = Choisissez un fichier ou collez une définition.
ui-builder-import-wrong_type = Ceci est une définition { $type } ; importez-la sous { $flow }.
ui-builder-import-done = Importé comme brouillon. Il n’a aucun problème : publiez-le quand il est prêt.
ui-builder-import-done_problems = { $count ->
    [one] Importé comme brouillon, avec 1 problème à corriger avant de publier.
   *[other] Importé comme brouillon, avec { $count } problèmes à corriger avant de publier.
}

## L’éditeur du brouillon
ui-builder-draft-heading = Brouillon de « { $name } »
ui-builder-draft-meta = Commencé à partir de { $source } ; dernière modification { $at }, par { $author }. Révision { $revision }.
ui-builder-draft-live = La version { $version } est en service.
ui-builder-draft-problems = { $count ->
    [0] Aucun problème
    [one] 1 problème à corriger avant de publier
   *[other] { $count } problèmes à corriger avant de publier
}
ui-builder-draft-problem_count = { $count ->
    [one] 1 problème
   *[other] { $count } problèmes
}
ui-builder-draft-complete = Le brouillon est complet : chaque étape est atteignable et chaque bouton mène quelque part.
ui-builder-draft-publish = Publier le brouillon
ui-builder-draft-undo = Annuler la dernière modification
ui-builder-draft-discard = Abandonner le brouillon
ui-builder-draft-info = Nom et description
ui-builder-draft-save_info = Enregistrer le nom et la description
ui-builder-draft-widgets = Insérer un widget
ui-builder-draft-widgets_intro = Un widget est un groupe d’étapes prêt à l’emploi. Il se place sur une liaison entre deux étapes : la liaison passe alors par lui.
ui-builder-draft-widget = Widget
ui-builder-draft-where = Où
ui-builder-draft-insert_widget = Insérer le widget
ui-builder-draft-kind-view = page
ui-builder-draft-kind-task = tâche
ui-builder-draft-kind-rule = décision
ui-builder-draft-kind-end = fin
ui-builder-draft-new_id = Nouvel identifiant
ui-builder-draft-rename = Renommer
ui-builder-draft-vh_step = { " " }l’étape { $step }
ui-builder-draft-vh_of_step = { " " }de l’étape { $step }
ui-builder-draft-vh_of = { " " }de { $what }
ui-builder-draft-move_up = Monter
ui-builder-draft-move_down = Descendre
ui-builder-draft-make_start = En faire le début
ui-builder-draft-preview = Aperçu
ui-builder-draft-texts = Textes
ui-builder-draft-remove = Retirer
ui-builder-draft-executor = Exécutant
ui-builder-draft-set_executor = Choisir l’exécutant
ui-builder-draft-set_extension = Choisir l’extension
ui-builder-draft-extension = Extension
ui-builder-draft-extension_hint = Le service que cette étape appelle :
ui-builder-draft-extension_register = enregistrez-en un
ui-builder-draft-extension_first = { " " }d’abord.
ui-builder-draft-none_yet = (aucune pour l’instant)
ui-builder-draft-not_registered = { $name } (non enregistrée)
ui-builder-draft-outcome_leads = Le résultat « { $outcome } » mène à
ui-builder-draft-nowhere_yet = (nulle part pour l’instant)
ui-builder-draft-new_view = + une nouvelle étape page
ui-builder-draft-new_end = + une nouvelle étape de fin
ui-builder-draft-save = Enregistrer
ui-builder-draft-vh_outcome = { " " }le résultat { $outcome } de { $step }
ui-builder-draft-components = Composants
ui-builder-draft-settings = Réglages
ui-builder-draft-move_out = Sortir du formulaire
ui-builder-draft-move_into = Placer dans le formulaire { $form }
ui-builder-draft-add_component = Ajouter un composant
ui-builder-draft-its_id = Son identifiant
ui-builder-draft-optional = (facultatif)
ui-builder-draft-end_of_form = À la fin du formulaire { $form }
ui-builder-draft-end_of_step = À la fin de l’étape, hors de tout formulaire
ui-builder-draft-add = Ajouter
ui-builder-draft-vh_component_to = { " " }un composant à { $step }
ui-builder-draft-buttons = Où mènent les boutons
ui-builder-draft-button_leads = Le bouton « { $button } » mène à
ui-builder-draft-vh_where_leads = { " " }où mène { $button }
ui-builder-draft-add_step_after = Ajouter une étape après { $step }
ui-builder-draft-view_step = Étape page
ui-builder-draft-decision_step = Étape de décision
ui-builder-draft-end_step = Étape de fin
ui-builder-draft-task_step = Étape de tâche : { $task }
ui-builder-draft-add_step = Ajouter l’étape
ui-builder-draft-stale = Ce brouillon a changé depuis que vous l’avez ouvert : votre modification n’a donc pas été enregistrée. Voici le brouillon tel qu’il est maintenant : refaites votre modification.
ui-builder-draft-none_start = Il n’y a pas de brouillon de ce parcours : commencez-en un ci-dessous.
ui-builder-draft-none_any_more = Il n’y a pas (plus) de brouillon de ce parcours.
ui-builder-draft-none = Il n’y a pas de brouillon.
ui-builder-draft-gone = Le brouillon n’existe plus : quelqu’un l’a publié ou abandonné.
ui-builder-draft-choose_kind = Choisissez ce qu’est la nouvelle étape.
ui-builder-draft-choose_component = Choisissez une sorte de composant.
ui-builder-draft-choose_move = Choisissez où le déplacer.
ui-builder-draft-choose_executor = Choisissez un exécutant.
ui-builder-draft-unknown_edit = Cette modification est inconnue.
ui-builder-draft-remove_step = Retirer l’étape { $step }
ui-builder-draft-remove_step_q = Retirer l’étape { $step } ?
ui-builder-draft-nothing_leads = Rien ne mène à cette étape.
ui-builder-draft-dangling = { $count ->
    [one] 1 liaison mène à cette étape et restera sans destination ; le brouillon la listera comme problème tant que vous ne la dirigerez pas ailleurs :
   *[other] { $count } liaisons mènent à cette étape et resteront sans destination ; le brouillon les listera comme problèmes tant que vous ne les dirigerez pas ailleurs :
}
ui-builder-draft-discard_q = Abandonner le brouillon ?
ui-builder-draft-discard_what = Toutes ses modifications sont perdues. Il a été commencé à partir de { $source } et modifié pour la dernière fois { $at }, par { $author }. La version publiée ne change pas.
ui-builder-draft-discarded = Le brouillon a été abandonné.
ui-builder-draft-undone = La dernière modification a été annulée.
ui-builder-draft-nothing_to_undo = Il n’y a aucune modification à annuler.
ui-builder-draft-not_published = { $count ->
    [one] Le brouillon n’a pas été publié : il a 1 problème. Corrigez-le d’abord.
   *[other] Le brouillon n’a pas été publié : il a { $count } problèmes. Corrigez-les d’abord.
}
ui-builder-draft-published = La version { $version } est publiée : les nouveaux parcours la suivent, ceux en cours gardent la leur.
ui-builder-draft-choose_widget = Choisissez un widget.
ui-builder-draft-choose_edge = Choisissez où l’insérer.
ui-builder-draft-widget_inserted = Widget « { $name } » inséré : étapes { $steps } ajoutées. « Annuler » les retire.

## Une étape en quelques mots
ui-builder-outline-view = { $components }, { $fields }, { $buttons }
ui-builder-outline-task = exécute { $task }
ui-builder-outline-rule = décide : { $branches }
ui-builder-outline-end = fin : { $components }
ui-builder-outline-components = { $count ->
    [one] 1 composant
   *[other] { $count } composants
}
ui-builder-outline-fields = { $count ->
    [one] 1 champ
   *[other] { $count } champs
}
ui-builder-outline-buttons = { $count ->
    [one] 1 bouton
   *[other] { $count } boutons
}
ui-builder-outline-branches = { $count ->
    [one] 1 branche
   *[other] { $count } branches
}
ui-builder-summary-input = { $what } (remplit { $fills })
ui-builder-summary-input_required = { $what } (remplit { $fills }), obligatoire
ui-builder-summary-nothing = rien

## Les réglages d’un composant
ui-builder-field-id = Identifiant
ui-builder-field-kind = Sorte
ui-builder-field-identifier = Attribut qu’il remplit
ui-builder-field-label = Libellé
ui-builder-field-placeholder = Texte indicatif
ui-builder-field-hint = Aide
ui-builder-field-required = Obligatoire
ui-builder-field-default_value = Valeur par défaut
ui-builder-field-min_length = Longueur minimale
ui-builder-field-max_length = Longueur maximale
ui-builder-field-pattern = Motif
ui-builder-field-pattern_message = Message quand le motif ne correspond pas
ui-builder-field-password_policy = Vérifier la politique de mot de passe
ui-builder-field-options = Options
ui-builder-field-length = Longueur du code
ui-builder-field-text = Texte
ui-builder-field-src = Adresse de l’image
ui-builder-field-alt = Texte de remplacement
ui-builder-hint-id = Lettres, chiffres, _ et - ; unique dans cette étape.
ui-builder-hint-identifier = par ex. email, given_name, nickname, ou une URI de claim WSO2.
ui-builder-hint-label = Texte littéral, ou { "{{" }t(clé){ "}}" } pour un message traduit.
ui-builder-hint-pattern = Une expression régulière à laquelle toute la valeur doit correspondre ; vide pour aucune.
ui-builder-hint-options = Listes déroulantes : une option par ligne, valeur|libellé.
ui-builder-hint-length = Saisies de code à usage unique : chiffres, de 4 à 10.
ui-builder-hint-text = Texte littéral, ou { "{{" }t(clé){ "}}" } ; { "{" }attribut{ "}" } affiche une valeur recueillie.
ui-builder-hint-rich_text = Paragraphes séparés par une ligne vide.

## Étapes de décision
ui-builder-rule-branches = Branches
ui-builder-rule-intro = La première branche dont la condition est vraie est prise ; si aucune ne l’est, l’étape va là où mène « Sinon ».
ui-builder-rule-add_branch = Ajouter une branche
ui-builder-rule-branch_n = Branche { $n }
ui-builder-rule-when_go_lower = si { $when }, aller à { $next }
ui-builder-rule-condition_new = Condition de la nouvelle branche
ui-builder-rule-condition_of = Condition de la branche { $n }
ui-builder-rule-match = Correspondance
ui-builder-rule-all = tous ces tests
ui-builder-rule-any = l’un de ces tests
ui-builder-rule-rows_hint = Laissez une ligne vide pour l’omettre. Pour « in » et « domain_in », listez les valeurs séparées par des virgules ; « present » et « absent » n’ont pas besoin de valeur.
ui-builder-rule-not = Non
ui-builder-rule-vh_test = { " " }(test { $n })
ui-builder-rule-attribute = Attribut
ui-builder-rule-operator = Opérateur
ui-builder-rule-value = Valeur
ui-builder-rule-vh_of_test = { " " }du test { $n }
ui-builder-rule-new_leads = La nouvelle branche mène à
ui-builder-rule-branch_leads = La branche { $n } mène à
ui-builder-rule-add = Ajouter la branche
ui-builder-rule-vh_to = { " " }à { $step }
ui-builder-rule-save_n = Enregistrer la branche { $n }
ui-builder-rule-too_deep = Cette condition est trop imbriquée pour des lignes : modifiez-la en JSON ci-dessous.
ui-builder-rule-edit_json = Modifier en JSON
ui-builder-rule-vh_new_of = { " " }une nouvelle branche de { $step }
ui-builder-rule-vh_branch_of = { " " }la branche { $n } de { $step }
ui-builder-rule-json = Condition en JSON
ui-builder-rule-json_hint = Un test s’écrit { "{" }"attribute": …, "op": …, "value": … ou "values": [ … ]{ "}" } ; combinez des tests avec { "{" }"all": [ … ]{ "}" }, { "{" }"any": [ … ]{ "}" } et { "{" }"not": { "{" } … { "}" }{ "}" }.
ui-builder-rule-leads_to = Mène à
ui-builder-rule-vh_json_form = { " " }(formulaire JSON)
ui-builder-rule-vh_json_form_of = { " " }(formulaire JSON de la branche { $n })
ui-builder-rule-add_json = Ajouter la branche depuis le JSON
ui-builder-rule-save_n_json = Enregistrer la branche { $n } depuis le JSON
ui-builder-rule-otherwise_leads = « Sinon » mène à
ui-builder-rule-vh_otherwise = { " " }où mène { $step } sinon
ui-builder-rule-try = Essayer la décision
ui-builder-rule-sample = Valeurs d’exemple, un attribut=valeur par ligne
ui-builder-rule-sample_hint = par ex. email=ada@example.com ou context.application=mon-app. Rien n’est enregistré.
ui-builder-rule-language = Langue
ui-builder-rule-show = Montrer quelle branche est prise
ui-builder-rule-try_title = Essayer la décision { $step }
ui-builder-rule-ignored = Non lues, car elles ne sont pas de la forme attribut=valeur :
ui-builder-rule-in_order = Les branches, dans l’ordre
ui-builder-rule-when_go = Si { $when }, aller à { $next }
ui-builder-rule-otherwise_go = Sinon, aller à { $next }.
ui-builder-rule-back = Retour au brouillon
ui-builder-rule-takes_branch = Branche { $n } → { $next }
ui-builder-rule-takes_otherwise = Sinon → { $next }
ui-builder-rule-takes_otherwise_nowhere = Sinon → (nulle part pour l’instant)
ui-builder-rule-choose_branch = Choisissez une branche.
ui-builder-rule-bad_json = Ce n’est pas une condition : { $error }.

## Ce qu’un nouveau composant peut être, dans la liste « ajouter un composant » de l’éditeur
ui-component-heading_1 = Titre 1
ui-component-heading_2 = Titre 2
ui-component-heading_3 = Titre 3
ui-component-heading_4 = Titre 4
ui-component-heading_5 = Titre 5
ui-component-heading_6 = Titre 6
ui-component-paragraph = Paragraphe
ui-component-small_print = Petits caractères
ui-component-rich_text = Texte enrichi (paragraphes)
ui-component-form = Formulaire
ui-component-text_input = Champ de texte
ui-component-email_input = Champ d’adresse e-mail
ui-component-password_input = Champ de mot de passe
ui-component-telephone_input = Champ de téléphone
ui-component-number_input = Champ de nombre
ui-component-date_input = Champ de date
ui-component-otp_input = Champ de code à usage unique
ui-component-checkbox = Case à cocher
ui-component-dropdown = Liste déroulante
ui-component-primary_button = Bouton principal
ui-component-secondary_button = Bouton secondaire
ui-component-text_button = Bouton texte
ui-component-social_button = Bouton d’inscription par un fournisseur
ui-component-divider = Séparateur
ui-component-image = Image
