/* dl4j-spectral (io.github.dl4jspectral.examples.ui.PagePatches), appended to DL4J 1.0.0-M2.1's train.js, which
   every page of DL4J's training UI loads:
   - the sidebar gets a "Spectral layers" link to /spectral after DL4J's own pages (before the language menu);
   - DL4J's server sends the Overview's "Start Time" and "Total Runtime" empty. After DL4J's overview.js fills
     the performance table, fill those two cells from /spectral/times/<session>;
   - the Overview's Standard Deviations chart plots, under Gradients, only keys ending in "W"; a spectral layer's
     W is derived and has no gradient, so for a spectral network that tab is empty: a note says why instead of a
     blank chart. */
$(function () {
    var nav = $(".sidebar-nav > ul.nav");
    if (nav.length && !$("#spectralNavItem").length) {
        var item = $("<li class='nav-item' id='spectralNavItem'><a class='nav-link' href='/spectral'>"
            + "<i class='nav-icon cui-layers'></i>Spectral layers</a></li>");
        var language = nav.children(".nav-dropdown").first();
        if (language.length) {
            item.insertBefore(language);
        } else {
            nav.append(item);
        }
    }
});

(function () {
    if (typeof renderModelPerformanceTable !== "function") {
        return;
    }
    var renderDl4jPerformanceTable = renderModelPerformanceTable;
    var known = {};

    function show(times) {
        $("#startTime").text(times.startTime);
        $("#totalRuntime").text(times.totalRuntime);
    }

    renderModelPerformanceTable = function (data) {
        var session = currSession;
        renderDl4jPerformanceTable(data);
        if (known[session]) {
            show(known[session]);   // no blank cells while the request runs
        }
        $.ajax({
            url: "/spectral/times/" + encodeURIComponent(session),
            dataType: "json",
            success: function (times) {
                known[session] = times;
                if (session === currSession) {
                    show(times);
                }
            }
        });
    };
})();

(function () {
    if (typeof renderStdevChart !== "function") {
        return;
    }
    var renderDl4jStdevChart = renderStdevChart;

    renderStdevChart = function (data) {
        renderDl4jStdevChart(data);
        $("#stdevChartNote").remove();
        var shown = data[selectedChart];
        if (shown && Object.keys(shown).length === 0) {
            var text = selectedChart === "stdevGradients"
                ? "No gradient to show: DL4J plots the gradients of parameters named W, and a spectral layer's "
                    + "W = phi .* (lambdaIn^T - lambdaOut) is derived, not a parameter. Activations and Updates "
                    + "show this session; the Spectral layers page shows each group."
                : "No data for this session yet.";
            $("<div id='stdevChartNote'></div>").text(text).css({
                position: "absolute", top: "30%", left: "10%", right: "10%", padding: "8px 12px",
                background: "#fff", border: "1px solid #c8ced3", "border-radius": "4px", color: "#23282c",
                "text-align": "center"
            }).appendTo("#stdevChart");
        }
    };
})();
