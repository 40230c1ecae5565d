"""The participatory référentiel: questionnaires for a pole's members, their answers stored per
wave, declared scores with their respondents, restitution sheets and comparisons of waves.

Declared scores (« déclaré par les membres ») never mix with the research team's evidence
(« documenté par l'équipe de recherche »).
"""

DECLARED = "déclaré par les membres"
DOCUMENTED = "documenté par l'équipe de recherche"
DONT_KNOW = "nsp"  # stored value of « ne sait pas »
DONT_KNOW_LABEL = "ne sait pas"
