/* dl4j-spectral (io.github.dl4jspectral.examples.ui.PagePatches), appended to DL4J 1.0.0-M2.1's train.js:
   DL4J's server sends the Overview's "Start Time" and "Total Runtime" empty. After DL4J's overview.js fills
   the performance table, fill those two cells from /spectral/times/<session>. Other pages: nothing to do. */
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
