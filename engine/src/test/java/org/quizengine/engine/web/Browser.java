package org.quizengine.engine.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run}
 * installs) pointed at a node, with explicit waits on what the page shows. Missing binaries fail the
 * test: a skipped browser test would pass a broken client.
 */
final class Browser implements AutoCloseable {
    static final Dimension PHONE = new Dimension(390, 844);
    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    static final Path SCREENSHOTS = Path.of("target", "web-screenshots");

    final String name;
    final ChromeDriver driver;
    final String base;

    private Browser(String name, ChromeDriver driver, String base) {
        this.name = name;
        this.driver = driver;
        this.base = base;
    }

    /** A fresh wait each time: a wait's message sticks to it. */
    private WebDriverWait waiting(String what) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.withMessage(() -> name + ": " + what);
        // The client rebuilds its view on each frame, so an element found can be replaced before it is read.
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The text of the element {@code css} names, read once it is visible. */
    String text(String css) {
        return waiting("text of " + css).until(d -> visible(css).getText());
    }

    String attribute(String css, String attribute) {
        return waiting(attribute + " of " + css).until(d -> visible(css).getAttribute(attribute));
    }

    static void requireChromium() {
        if (!Files.isExecutable(CHROMEDRIVER) || CHROMIUM.stream().noneMatch(Files::isExecutable)) {
            throw new AssertionError("The web client's browser tests need Chromium and its driver at /usr/bin/chromium and "
                + "/usr/bin/chromedriver: apt-get install -y --no-install-recommends chromium chromium-driver "
                + "(.ci/run installs them).");
        }
    }

    static Browser open(String name, int port, Dimension size) {
        requireChromium();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElseThrow().toFile());
        // CI runs as root in a container: no sandbox, and /dev/shm is small.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=" + size.width + "," + size.height, "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(size);
        String base = "http://127.0.0.1:" + port + "/";
        driver.get(base);
        return new Browser(name, driver, base);
    }

    WebElement visible(String css) {
        return waiting(css + " visible").until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void gone(String css) {
        waiting(css + " gone").until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
    }

    <T> T until(String what, Function<WebDriver, T> condition) {
        return waiting(what).until(condition);
    }

    void textIn(String css, String text) {
        waiting("\"" + text + "\" in " + css)
            .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    void type(String css, String text) {
        WebElement input = visible(css);
        input.clear();
        input.sendKeys(text);
    }

    void click(String css) {
        waiting(css + " clickable").until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    String sessionValue(String field) {
        return (String) script("const s = JSON.parse(localStorage.getItem('quiz.session')); return s && s[arguments[0]];", field);
    }

    /** Cuts the browser off the network the way DevTools' "Offline" does: requests and sockets fail, navigator.onLine is false. */
    void offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
            "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** What the page logged that a player would not want: script errors and blocked content. */
    List<String> pageErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(message -> message.contains("Content Security Policy") || message.contains("Uncaught")
                || message.contains("TypeError") || message.contains("ReferenceError"))
            .toList();
    }

    void screenshot(String screen) {
        Dimension size = driver.manage().window().getSize();
        String width = size.width <= 500 ? "phone" : "desktop";
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(screen + "-" + width + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Takes {@code screen} at both widths, returning to this browser's own. */
    void screenshots(String screen) {
        Dimension own = driver.manage().window().getSize();
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            screenshot(screen);
        }
        driver.manage().window().setSize(own);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
