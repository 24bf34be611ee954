// Static-site search: the same folding as the server (diacritics dropped, đ -> d, lower case).
(function () {
  var script = document.currentScript;
  function fold(s) {
    return s.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).join(" ").trim();
  }
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.querySelector("input[name=q]");
  if (box) { box.value = q; }
  var words = fold(q).split(" ").filter(Boolean);
  if (!words.length) { return; }
  fetch(script.dataset.index).then(function (r) { return r.json(); }).then(function (rows) {
    var list = document.getElementById("hits");
    var phrase = words.join(" ");
    // Ranked as on the server: a whole label equal to the words first, then labels holding
    // them as one phrase, then shorter labels.
    var hits = rows.filter(function (row) {
      return words.every(function (w) { return row.f.indexOf(w) >= 0; });
    }).map(function (row) {
      var exact = row.f.split("\n").indexOf(phrase) >= 0;
      return [exact ? 0 : 1, row.f.indexOf(phrase) >= 0 ? 0 : 1, row.f.length, row];
    }).sort(function (a, b) {
      return (a[0] - b[0]) || (a[1] - b[1]) || (a[2] - b[2]);
    }).slice(0, 50).map(function (scored) { return scored[3]; });
    if (!hits.length) { list.textContent = script.dataset.none; return; }
    hits.forEach(function (row) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = script.dataset.root + row.p; a.textContent = row.l;
      li.appendChild(a); list.appendChild(li);
    });
  });
})();
