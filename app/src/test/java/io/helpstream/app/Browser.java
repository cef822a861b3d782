package io.helpstream.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through its chromedriver, both Debian's ({@code apt-get install chromium
 * chromium-driver}, as {@code .ci/run} does): no browser or driver is downloaded. Screenshots go to
 * {@code app/target/screenshots}, and into {@code docs/} (the README's pictures) when the build is run with
 * {@code -Dhelpstream.docs.screenshots=true}.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriver driver;

    Browser() {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y --no-install-recommends chromium "
                    + "chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Root in a container has no user namespace for the sandbox; /dev/shm is small there.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,860", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits (up to {@link #WAIT}) until {@code condition} gives something other than null or false. */
    <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT).until(condition::apply);
        } catch (TimeoutException e) {
            String shot = "failed-" + System.currentTimeMillis();
            saveTo(Path.of("target", "screenshots"), shot, driver.getScreenshotAs(OutputType.BYTES));
            throw new AssertionError("the page at " + driver.getCurrentUrl() + " did not get there within " + WAIT
                    + " (target/screenshots/" + shot + ".png); it shows:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Waits until an element matching {@code css} shows text containing {@code text}, and returns it. */
    WebElement awaitText(String css, String text) {
        return await(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(element -> element.getText().contains(text)).findFirst().orElse(null));
    }

    void type(String css, String text) {
        WebElement element = find(css);
        element.clear();
        element.sendKeys(text);
    }

    /** Saves what the browser shows as {@code <name>.png}. */
    void screenshot(String name) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        saveTo(Path.of("target", "screenshots"), name, png);
        if (Boolean.getBoolean("helpstream.docs.screenshots")) {
            saveTo(projectRoot().resolve("docs"), name, png);
        }
    }

    private static void saveTo(Path dir, String name, byte[] png) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the project (no mvnw above " + Path.of("").toAbsolutePath()
                    + ")");
        }
        return dir;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
