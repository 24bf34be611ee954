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
    var hits = rows.filter(function (row) {
      return words.every(function (w) { return row.f.indexOf(w) >= 0; });
    }).slice(0, 50);
    if (!hits.length) { list.textContent = script.dataset.none; return; }
    hits.forEach(function (row) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = script.dataset.root + row.p; a.textContent = row.l;
      li.appendChild(a); list.appendChild(li);
    });
  });
})();
