package io.github.dl4jspectral.examples.ui;

import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.FashionMnistLocator;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training UI in a real browser (Debian's chromium through chromedriver, headless) while a spectral network
 * trains: DL4J's Overview and Model pages and the spectral page must show data for the spectral layers. Reads the
 * flot charts' series from the pages and keeps screenshots in {@code target/ui-screenshots}. Skipped when
 * chromium or chromedriver is not installed ({@code apt-get install chromium chromium-driver}).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TrainingUiBrowserTest {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("ui.screenshots.dir", "target/ui-screenshots"));

    private static Optional<Path> onPath(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator)).flatMap(dir -> Stream.of(names).map(n -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }

    @Test
    void overviewModelAndSpectralPagesShowTheSpectralLayers() throws Exception {
        Optional<Path> chromium = onPath("chromium", "chromium-browser");
        Optional<Path> chromedriver = onPath("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "browser test skipped: chromium and chromedriver are not on the PATH (Debian: apt-get install -y chromium chromium-driver)");
        Files.createDirectories(SCREENSHOTS);

        FashionMnistIterator.Builder data = FashionMnistIterator.builder(FashionMnist.Split.TRAIN)
                .locator(FashionMnistLocator.builder().bundledSubsetOnly().build()).examples(1000).batchSize(50).shuffle(1);
        MultiLayerNetwork dense = ModelSpec.of(ModelSpec.Kind.DENSE).network(784, 32, 10, Activation.TANH, 1e-3, 1);
        MultiLayerNetwork eigenvalues = ModelSpec.of(ModelSpec.Kind.EIGENVALUES).network(784, 32, 10, Activation.TANH, 1e-2, 1);
        AtomicBoolean stop = new AtomicBoolean();
        Trainer.Progress stopWhenAsked = (epoch, batches) -> {
            if (stop.get()) {
                throw new CancellationException("test done");
            }
        };
        try (TrainingUi ui = TrainingUi.start(0)) {
            assertEquals("dense", ui.attach(dense, "dense"));
            Trainer.fit(dense, data.build(), 1, Trainer.Progress.NONE);
            assertEquals("eigenvalues", ui.attach(eigenvalues, "eigenvalues"));
            CompletableFuture<Trainer.Timing> training = CompletableFuture.supplyAsync(
                    () -> Trainer.fit(eigenvalues, data.build(), 1000, stopWhenAsked));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                            "--window-size=1400,1000");
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                Page page = new Page(browser, "http://127.0.0.1:" + ui.port());
                access(page, ui.port());
                overview(page);
                model(page);
                spectral(page);
                assertFalse(training.isDone(), "the pages must be read while the network trains");
            } finally {
                browser.quit();
                stop.set(true);
                training.handle((t, e) -> t).get(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * Who reaches the server: another address of this machine is refused (Chromium's error page, not DL4J's); from
     * a page on 127.0.0.1, an upload to DL4J's t-SNE route gets 403 and a path-traversal asset request a 404.
     */
    private static void access(Page page, int port) throws IOException {
        Optional<InetAddress> other = TrainingUiAccessTest.otherAddressOfThisMachine();
        if (other.isPresent()) {
            String elsewhere = "http://" + other.get().getHostAddress() + ":" + port + "/train/overview";
            WebDriverException refused = assertThrows(WebDriverException.class, () -> page.browser.get(elsewhere),
                    elsewhere + " must be refused");
            assertTrue(refused.getMessage().contains("ERR_CONNECTION_REFUSED"), refused.getMessage());
            assertFalse(page.browser.getPageSource().contains("sessionSelect"), "not DL4J's page");
            page.screenshot("refused-on-" + other.get().getHostAddress(), 1400);
        } else {
            System.err.println("browser: the non-loopback check is skipped: this machine has no up, non-loopback IPv4 address");
        }
        page.open("/train/overview");
        assertEquals(403L, page.script("var form = new FormData(); form.append('file', new Blob(['1,2,x\\n']), 'c.csv');"
                + " return fetch('/tsne/upload', {method: 'POST', body: form}).then(function (r) { return r.status; });"),
                "upload refused");
        assertEquals(404L, page.script("return fetch('/assets/..%2f..%2fetc/passwd').then(function (r) { return r.status; });"),
                "path traversal");
        page.browser.manage().logs().get(LogType.BROWSER);   // the refused and 403/404 requests' console lines
    }

    /**
     * DL4J's Overview: sessions named after the models; ratio and update std-dev charts plot the effective W, the
     * activations std-dev chart the layers' outputs, and the gradients tab, empty for a spectral network (W has no
     * gradient), says why; Start Time and Total Runtime filled; the sidebar links to the spectral page.
     */
    private static void overview(Page page) throws IOException {
        page.open("/train/overview");
        page.waitFor(() -> page.browser.findElement(By.id("sessionSelect")).isDisplayed() ? true : null,
                "the session selector");
        // the selector is rebuilt on every refresh: read and choose through the page's own jQuery, as its onchange does
        assertEquals(List.of("dense", "eigenvalues"), page.script(
                "return $('#sessionSelect option').map(function () { return $(this).text(); }).get().sort();"),
                "session selector labels");
        page.script("$('#sessionSelect').val('eigenvalues'); selectNewSession();");
        page.assertNoScriptErrors();
        List<String> ratioSeries = page.waitFor(() -> page.seriesWithData("#updateRatioChart"), "update:parameter ratios");
        assertTrue(ratioSeries.contains("0_W") && ratioSeries.contains("1_W"), "ratio series " + ratioSeries);
        page.assertSpectralLinkInSidebar();
        List<String> activationSeries = page.waitFor(() -> {
            List<String> s = page.seriesWithData("#stdevChart");
            return s != null && s.contains("0") ? s : null;
        }, "activations std-dev chart (the default tab)");
        assertTrue(activationSeries.contains("input"), "activation std-dev series " + activationSeries);
        page.browser.findElement(By.cssSelector("#stdevGradients a")).click();
        // the note is redrawn with the chart on every refresh: read through jQuery
        String note = page.waitFor(() -> {
            String text = String.valueOf(page.script("return $('#stdevChart #stdevChartNote:visible').text();"));
            return text.isEmpty() ? null : text;
        }, "the note on the gradients std-dev tab");
        assertTrue(note.contains("W = phi .* (lambdaIn^T - lambdaOut) is derived"), note);
        assertEquals(List.of(), page.seriesWithData("#stdevChart"), "gradient std-dev series of a spectral network");
        page.screenshot("overview-1400-gradients", 1400);
        page.browser.findElement(By.cssSelector("#stdevUpdates a")).click();
        page.waitFor(() -> page.browser.findElements(By.id("stdevChartNote")).isEmpty() ? true : null,
                "no note on the updates tab");
        List<String> updateSeries = page.waitFor(() -> {
            List<String> s = page.seriesWithData("#stdevChart");
            return s != null && s.contains("0_W") ? s : null;
        }, "update std-dev chart");
        assertTrue(updateSeries.contains("1_W"), "update std-dev series " + updateSeries);
        // DL4J's server sends Start Time and Total Runtime empty; the patched train.js fills them
        String startTime = page.waitFor(() -> page.cell("startTime").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")
                ? page.cell("startTime") : null, "Start Time");
        String runtime = page.waitFor(() -> page.cell("totalRuntime").matches("((\\d+ h )?\\d+ min )?\\d+ s")
                ? page.cell("totalRuntime") : null, "Total Runtime");
        assertTrue(page.browser.findElement(By.id("startTime")).isDisplayed() && page.browser.findElement(By.id("totalRuntime")).isDisplayed(),
                "Start Time " + startTime + " and Total Runtime " + runtime + " on screen");
        page.screenshot("overview-1400", 1400);
        page.assertNoScriptErrors();
    }

    /**
     * DL4J's Model page, layer 0 (vertex 1): the default key "W" shows the effective weights; the key selector
     * buttons of both histograms are in sight at 1400 and 1920 px; clicking lambdaIn, lambdaOut and phi selects
     * them without a JavaScript error.
     */
    private static void model(Page page) throws IOException {
        List<String> keys = List.of("W", "b", "lambdaIn", "lambdaOut", "phi");
        for (int width : new int[]{1920, 1400}) {
            page.openModel(width);
            assertTrue(page.text("#paramhistSelected").contains("(W)"), page.text("#paramhistSelected"));
            assertTrue(page.histogramBins("#updateshistogram") > 0, "update histogram of W");
            page.assertButtonsVisible(width, keys);
            page.screenshot("model-" + width + "-W", width);
            page.browser.manage().window().setSize(new Dimension(width, 1000));
            page.assertChartHeaderVisible("meanmag");
        }
        // real clicks (chromedriver refuses to click an element that is hidden or covered)
        for (String key : List.of("lambdaIn", "lambdaOut", "phi")) {
            page.click("paramBtn_" + key);
            page.click("updParamBtn_" + key);
            page.waitFor(() -> page.text("#paramhistSelected").contains("(" + key + ")")
                    && page.text("#updatehistSelected").contains("(" + key + ")") ? true : null, key + " selected");
            page.waitFor(() -> page.histogramBins("#parametershistogram") > 0 ? true : null, key + " parameter histogram");
        }
        page.click("paramBtn_lambdaIn");
        page.waitFor(() -> page.text("#paramhistSelected").contains("(lambdaIn)") ? true : null, "lambdaIn again");
        page.screenshot("model-1400-lambdaIn", 1400);
        Files.write(SCREENSHOTS.resolve("model-1400-lambdaIn-histogram.png"), page.browser.findElement(
                By.xpath("//div[@id='parametershistogram']/ancestor::div[contains(concat(' ', @class, ' '), ' box ')][1]")).getScreenshotAs(OutputType.BYTES));
        page.assertSpectralLinkInSidebar();
        page.assertNoScriptErrors();
        // the DenseLayer network's buttons too (DL4J's page clipped them for every network)
        page.selectSession("dense");
        for (int width : new int[]{1920, 1400}) {
            page.openModel(width);
            page.assertButtonsVisible(width, List.of("W", "b"));
        }
        page.screenshot("model-1400-dense", 1400);
        page.selectSession("eigenvalues");
        page.assertNoScriptErrors();
    }

    /**
     * The spectral page, reached through DL4J's sidebar: eigenvalue histograms and movement, ratios of the trained
     * groups, phi marked frozen; its favicon is served, its times read yyyy-MM-dd HH:mm:ss as DL4J's do, and
     * every line chart's legend lies outside its chart.
     */
    private static void spectral(Page page) throws IOException {
        page.open("/train/overview");
        page.click("spectralNavItem");
        page.waitFor(() -> page.browser.getCurrentUrl().endsWith("/spectral") ? true : null, "the spectral page");
        page.waitFor(() -> page.histogramBins("#hist-0-lambdaIn") > 0 ? true : null, "the lambdaIn histogram");
        for (int layer : new int[]{0, 1}) {
            for (String key : List.of("lambdaIn", "lambdaOut", "W", "phi", "b")) {
                assertTrue(page.histogramBins("#hist-" + layer + "-" + key) > 0, "histogram of " + layer + "_" + key);
            }
            List<String> movement = page.waitFor(() -> {
                List<String> s = page.seriesWithData("#move-" + layer + "-lambdaOut", 3);
                return s != null && s.size() == 5 ? s : null;
            }, "lambdaOut movement of layer " + layer);
            assertEquals(List.of("mean", "mean + std", "mean - std", "min", "max"), movement);
            List<String> ratios = page.seriesWithData("#ratio-" + layer);
            assertTrue(ratios.containsAll(List.of("lambdaIn", "lambdaOut", "b")) && !ratios.contains("phi"),
                    "ratio series of layer " + layer + ": " + ratios);
            assertEquals("frozen", page.script("return $('.layer[data-layer=" + layer + "] tr[data-group=phi]').attr('data-status');"));
            assertEquals("trained", page.script("return $('.layer[data-layer=" + layer + "] tr[data-group=lambdaIn]').attr('data-status');"));
        }
        assertEquals("eigenvalues", page.script("return $('#sessions tr.selected').attr('data-session');"));
        assertEquals(200L, page.script("return fetch($('link[rel=icon]').attr('href')).then(function (r) { return r.status; });"),
                "the favicon the page names");
        assertEquals(List.of("dense", "eigenvalues"), page.script("return $('#sessions tr.session td:nth-child(3)')"
                + ".map(function () { return /^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$/.test($(this).text())"
                + " ? $(this).parent().attr('data-session') : $(this).text(); }).get();"), "start times as yyyy-MM-dd HH:mm:ss");
        assertTrue(page.text("#status").matches("updated \\d\\d:\\d\\d:\\d\\d"), page.text("#status"));
        assertEquals(List.of(), page.script("var out = [], charts = $('.chart[id^=move-], .chart[id^=ratio-]');"
                + " if (charts.length !== 6) out.push(charts.length + ' line charts');"
                + " charts.each(function () {"
                + "  var p = $(this).data('plot'), c = this.getBoundingClientRect();"
                + "  var legend = $('#' + this.id + '-legend table')[0];"
                + "  if ($(this).find('.legend').length) out.push(this.id + ': a legend inside the chart');"
                + "  if (!legend) { out.push(this.id + ': no legend'); return; }"
                + "  var l = legend.getBoundingClientRect();"
                + "  var labels = $(legend).find('.legendLabel').map(function () { return $(this).text(); }).get().join();"
                + "  var series = p.getData().map(function (s) { return s.label; }).join();"
                + "  if (labels !== series) out.push(this.id + ': legend ' + labels + ', series ' + series);"
                + "  if (l.top < c.bottom && l.bottom > c.top && l.left < c.right && l.right > c.left)"
                + "   out.push(this.id + ': legend ' + JSON.stringify(l) + ' overlaps the chart ' + JSON.stringify(c));"
                + " }); return out;"), "line charts whose legend is missing or overlaps the chart");
        page.screenshot("spectral-1400", 1400);
        page.screenshot("spectral-1920", 1920);
        page.assertNoScriptErrors();
    }

    /** The browser on one UI server, with the queries the test makes of a page's charts. */
    private record Page(ChromeDriver browser, String base) {

        void open(String path) {
            browser.get(base + path);
        }

        Object script(String js) {
            return ((JavascriptExecutor) browser).executeScript(js);
        }

        String text(String selector) {
            return String.valueOf(script("return $('" + selector + "').text();"));
        }

        /** Labels of the flot series in {@code selector} that have at least one point, or null before the chart is drawn. */
        List<String> seriesWithData(String selector) {
            return seriesWithData(selector, 1);
        }

        @SuppressWarnings("unchecked")
        List<String> seriesWithData(String selector, int points) {
            return (List<String>) script("var p = $('" + selector + "').data('plot'); if (!p) return null;"
                    + " return p.getData().filter(function (s) { return s.data.filter(function (d) { return d !== null; }).length >= "
                    + points + "; }).map(function (s) { return s.label; });");
        }

        /**
         * Opens DL4J's Model page in a window {@code width} px wide and selects layer 0 (vertex 1), as a click on
         * it in the graph does (model-graph.js); returns once its parameter histogram is drawn.
         */
        void openModel(int width) {
            browser.manage().window().setSize(new Dimension(width, 1000));
            open("/train/model");
            script("setSelectedVertex(1); renderModelPage(true);");
            waitFor(() -> histogramBins("#parametershistogram") > 0 ? true : null, "the parameter histogram");
        }

        /** Makes {@code session} DL4J's current session, as its session selector does (waiting for the answer). */
        void selectSession(String session) {
            script("$.ajax({url: '/train/sessions/set/" + session + "', async: false});");
            assertEquals(session, script("return $.ajax({url: '/train/sessions/current', async: false}).responseText;"));
        }

        /** The text of the table cell {@code id}, trimmed. */
        String cell(String id) {
            return String.valueOf(script("return $('#" + id + "').text().trim();"));
        }

        /** Clicks the element {@code id} like a user (the Model page rebuilds its buttons on every refresh: retried). */
        void click(String id) {
            waitFor(() -> {
                try {
                    browser.findElement(By.id(id)).click();
                    return true;
                } catch (StaleElementReferenceException | NoSuchElementException e) {
                    return null;
                }
            }, "a click on #" + id);
        }

        /**
         * On the Model page opened at {@code width} px, both histograms' key selector buttons are {@code keys} and
         * each is displayed, lies inside its chart header (the box that clips them: overflow hidden) and is the
         * element at its own centre.
         */
        @SuppressWarnings("unchecked")
        void assertButtonsVisible(int width, List<String> keys) {
            for (String div : List.of("paramHistButtonsDiv", "updateHistButtonsDiv")) {
                Map<String, Object> seen = waitFor(() -> {
                    try {
                        // bring the header into the window without scrolling anything inside it: an element with
                        // overflow: hidden still scrolls programmatically (a button's scrollIntoView would move the
                        // clipped buttons into its box, hiding the title instead)
                        script("var h = $('#" + div + "').closest('.chart-header')[0];"
                                + " window.scrollTo(0, h.getBoundingClientRect().top + window.pageYOffset - 200);");
                        List<WebElement> buttons = browser.findElements(By.cssSelector("#" + div + " input"));
                        List<String> labels = new ArrayList<>();
                        List<String> hidden = new ArrayList<>();
                        for (WebElement b : buttons) {
                            labels.add(b.getAttribute("value"));
                            if (!b.isDisplayed()) {
                                hidden.add(b.getAttribute("value") + " not displayed");
                            }
                        }
                        hidden.addAll((List<String>) script("var out = [];"
                                + " var header = $('#" + div + "').closest('.chart-header')[0], h = header.getBoundingClientRect();"
                                + " if (header.scrollTop !== 0) out.push('header scrolled by ' + header.scrollTop + ' px');"
                                + " $('#" + div + " input').each(function () {"
                                + "  var b = this.getBoundingClientRect();"
                                + "  var top = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);"
                                + "  if (!(b.width > 0 && b.height > 0 && b.top >= h.top && b.bottom <= h.bottom"
                                + "        && b.left >= h.left && b.right <= h.right && top === this))"
                                + "   out.push(this.value + ' at ' + JSON.stringify(b) + ' outside its header ' + JSON.stringify(h));"
                                + " }); return out;"));
                        return labels.isEmpty() ? null : Map.<String, Object>of("labels", labels, "outside", hidden);
                    } catch (StaleElementReferenceException e) {
                        return null;
                    }
                }, "the buttons of #" + div + " at " + width + " px");
                List<String> labels = new ArrayList<>((List<String>) seen.get("labels"));
                labels.sort(null);
                assertEquals(keys.stream().sorted().toList(), labels, "key buttons of #" + div);
                assertEquals(List.of(), seen.get("outside"), "buttons of #" + div + " out of sight at " + width + " px");
            }
            script("window.scrollTo(0, 0);");
        }

        /** Bars with a non-zero count in the flot histogram {@code selector}. */
        long histogramBins(String selector) {
            Object n = script("var p = $('" + selector + "').data('plot'); if (!p || !p.getData().length) return 0;"
                    + " return p.getData()[0].data.filter(function (d) { return d && d[1] > 0; }).length;");
            return ((Number) n).longValue();
        }

        <T> T waitFor(Supplier<T> condition, String what) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (System.nanoTime() < deadline) {
                T value = condition.get();
                if (value != null) {
                    return value;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new AssertionError("timed out waiting for " + what + " on " + browser.getCurrentUrl());
        }

        /** The whole page at {@code width} pixels (the window is made as tall as the page, up to 4000 px). */
        void screenshot(String name, int width) throws IOException {
            browser.manage().window().setSize(new Dimension(width, 1000));
            long height = ((Number) script("return document.documentElement.scrollHeight;")).longValue();
            browser.manage().window().setSize(new Dimension(width, (int) Math.min(4000, Math.max(1000, height + 140))));
            try {
                script("window.scrollTo(0, 0);");
                Thread.sleep(700); // flot's resize plugin redraws the charts for the new width
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }

        /**
         * DL4J's sidebar on the current page has a "Spectral layers" link to the spectral page, after DL4J's own
         * pages and before the language menu, in sight.
         */
        void assertSpectralLinkInSidebar() {
            WebElement link = waitFor(() -> {
                List<WebElement> links = browser.findElements(By.cssSelector(".sidebar-nav > ul.nav > li#spectralNavItem > a"));
                return links.isEmpty() ? null : links.get(0);
            }, "the sidebar's link to the spectral page");
            assertEquals("/spectral", link.getAttribute("href").replaceFirst("^" + base, ""));
            assertEquals("Spectral layers", link.getText().trim());
            assertTrue(link.isDisplayed(), "the sidebar link is displayed");
            assertEquals("system,spectral,language", script("var items = $('.sidebar-nav > ul.nav > li');"
                    + " var i = items.index($('#spectralNavItem'));"
                    + " return [items.eq(i - 1).find('a').attr('href'), 'spectral',"
                    + "  items.eq(i + 1).hasClass('nav-dropdown') ? 'language' : items.eq(i + 1).text()].join();"));
        }

        /**
         * The header of the flot chart {@code id}'s box shows its whole title, y unit ("log10") included, and its
         * tabs: the text of each lies inside the header (which clips what overflows it), and no tab overlaps the title.
         */
        void assertChartHeaderVisible(String id) {
            Object problem = waitFor(() -> script("var header = $('#" + id + "').closest('.box').find('.chart-header');"
                    + " if (!header.length || !header.find('.tab-menu a').length) return null;"
                    + " window.scrollTo(0, header[0].getBoundingClientRect().top + window.pageYOffset - 100);"
                    + " var h = header[0].getBoundingClientRect(), out = [], title = [], tabs = [];"
                    + " header.find('h2, p, .tab-menu a').each(function () {"
                    + "  var text = document.createRange(); text.selectNodeContents(this);"
                    + "  var r = text.getBoundingClientRect();"
                    + "  if (this.matches('.tab-menu a')) tabs.push(this.getBoundingClientRect()); else title.push(r);"
                    + "  if (!(r.width > 0 && r.top >= h.top && r.bottom <= h.bottom && r.left >= h.left && r.right <= h.right))"
                    + "   out.push($(this).text().trim() + ' at ' + JSON.stringify(r) + ' outside its header ' + JSON.stringify(h));"
                    + " });"
                    + " tabs.forEach(function (a) { title.forEach(function (t) {"
                    + "  if (a.top < t.bottom && a.bottom > t.top && a.left < t.right && a.right > t.left)"
                    + "   out.push('a tab at ' + JSON.stringify(a) + ' overlaps the title at ' + JSON.stringify(t)); }); });"
                    + " return out.join('; ');"),
                    "the header of #" + id);
            script("window.scrollTo(0, 0);");
            assertEquals("", problem, "the header of #" + id);
        }

        /** Fails on SEVERE console messages since the last call (JavaScript errors, failed requests). */
        void assertNoScriptErrors() {
            List<String> errors = new ArrayList<>();
            for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(e.getMessage());
                }
            }
            assertTrue(errors.isEmpty(), "console errors on " + browser.getCurrentUrl() + ": " + errors);
        }
    }
}
