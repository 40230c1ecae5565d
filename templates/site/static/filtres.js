/* Filtres de la liste des pôles : sans JavaScript, toutes les lignes restent affichées.
   Les filtres choisis sont écrits dans l'adresse (?region=…&famille=…) : un lien partagé
   les rétablit. */
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var table = document.getElementById("liste-poles");
  var count = document.getElementById("compte");
  if (!form || !table || !count) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filtre]"));

  function matches(row, key, value) {
    if (!value) { return true; }
    if (key === "territoire") {
      return (" " + row.getAttribute("data-territoire") + " ").indexOf(" " + value + " ") !== -1;
    }
    if (key === "statut") {
      return row.getAttribute(value === "temoin" ? "data-temoin" : "data-laureat") === "oui";
    }
    return row.getAttribute("data-" + key) === value;
  }

  function pluriel(n, mot) { return n > 1 ? mot + "s" : mot; }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) { return matches(row, s.getAttribute("data-filtre"), s.value); });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " " + pluriel(shown, "pôle") + " " + pluriel(shown, "affiché") +
      " sur " + rows.length + "." + (shown === 0 ? " Aucun pôle ne correspond à ces critères." : "");
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var value = params.get(s.getAttribute("data-filtre"));
      var known = Array.prototype.some.call(s.options, function (o) { return o.value === value; });
      s.value = value && known ? value : "";
    });
  }

  function remember() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var key = s.getAttribute("data-filtre");
      if (s.value) { params.set(key, s.value); } else { params.delete(key); }
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function changed() { apply(); remember(); }

  selects.forEach(function (s) { s.addEventListener("change", changed); });
  form.addEventListener("reset", function () { window.setTimeout(changed, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("popstate", function () { restore(); apply(); });
  form.hidden = false;
  restore();
  apply();
})();
