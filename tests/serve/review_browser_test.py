"""The reviewer console in a real headless Chromium (Debian's chromium and chromium-driver,
driven by python3-selenium): sign in, work the queue with the keyboard, see the evidence marked,
decide, see the decision in the audit log; a wrong password is refused. Screenshots of the
sign-in page, the queue, one listing (Japanese, with its seller's history and account memory)
and the audit log are saved to SHOTS (in the build directory); with UPDATE_SCREENSHOTS=1 the
queue and the listing also go to docs/images/, where docs/review.md shows them (review the PNGs
like a golden diff). Exits 77 (skipped) only when Chromium, its driver or Selenium is absent,
saying which; `scripts/bootstrap --browser` installs them (with the Noto fonts, so that Chinese,
Japanese and Thai text and emoji are drawn, not boxes).

usage: review_browser_test.py TUSK ROOT SHOTS [unittest args]"""

import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import review_console_test as rct  # noqa: E402

SKIP = 77
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = None


def missing():
    out = [p for p in (CHROMIUM, DRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        out.append("selenium")
    return out


class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        rct.start_console(cls, state=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        cls.profile = tempfile.mkdtemp(prefix="tusk-chromium-")
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--user-data-dir=" + cls.profile, "--no-first-run",
                    "--disable-background-networking", "--disable-extensions"):
            opts.add_argument(arg)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        cls.driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
        cls.driver.set_page_load_timeout(30)
        cls.driver.set_script_timeout(10)
        cls.base = "http://127.0.0.1:%d" % cls.server.port

    @classmethod
    def tearDownClass(cls):
        try:
            cls.driver.quit()
        finally:
            code = cls.server.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)
            shutil.rmtree(cls.profile, ignore_errors=True)
            assert code == 0, code

    def shot(self, name, docs=False):
        path = os.path.join(SHOTS, name)
        self.assertTrue(self.driver.save_screenshot(path), path)
        self.assertGreater(os.path.getsize(path), 1000)
        if docs and os.environ.get("UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(path, os.path.join(rct.ROOT, "docs", "images", name))

    def whole_page(self, width=1280):
        """Makes the window as tall as the page (at most 2400 pixels), for a screenshot of all of it."""
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(height + 140, 600), 2400))

    def wait_for(self, css, timeout=15):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))

    def sign_in(self, user, password):
        from selenium.webdriver.common.by import By
        d = self.driver
        d.get(self.base + "/review/queue")
        self.wait_for("#signin")
        self.assertTrue(d.current_url.endswith("/review/login"), d.current_url)
        d.find_element(By.ID, "user").send_keys(user)
        d.find_element(By.ID, "password").send_keys(password)
        d.find_element(By.ID, "signin").click()

    def csp_violations(self):
        return [e for e in self.driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]

    def test_screenshots_of_the_queue_and_a_listing(self):
        from selenium.webdriver.common.by import By
        d = self.driver
        self.sign_in("ana", rct.PASSWORD)
        self.wait_for("#queue")
        # The queue filtered by a tag, with the titles as the sellers wrote them (Chinese and
        # Japanese included).
        d.get(self.base + "/review/queue?tag=ivory")
        self.wait_for("#queue")
        titles = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#queue td.title")]
        self.assertTrue(any("象牙手镯" in t for t in titles), titles)
        self.assertTrue(any("象牙の根付" in t for t in titles), titles)
        self.whole_page()
        self.shot("review-queue.png", docs=True)

        # One listing: the Japanese one, with its evidence marked, and its seller's three other
        # listings and what the account store remembers about the seller.
        z5 = [v for v in rct.ConsoleTest.open_items(self, "--action", "all") if v["listing_id"] == "z5"][0]
        d.set_window_size(1280, 1000)
        d.get(self.base + "/review/item/%d" % z5["id"])
        self.wait_for("#decide-form")
        self.assertIn("象牙", " ".join(m.text for m in d.find_elements(By.CSS_SELECTOR, "#listing mark")))
        self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, "#history-items tbody tr")), 3)
        counters = d.find_element(By.ID, "account-counters").text
        self.assertIn("protected_24h", counters)
        self.whole_page()
        self.shot("review-listing.png", docs=True)
        self.assertEqual(self.csp_violations(), [])
        d.set_window_size(1280, 1000)
        d.delete_all_cookies()  # the next test signs in afresh

    def test_work_the_queue_with_the_keyboard(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        d = self.driver

        # A wrong password is refused with a message, and no session.
        self.sign_in("ana", "wrong password!")
        self.wait_for("#message")
        self.assertIn("Wrong name or password", d.find_element(By.ID, "message").text)
        self.assertIsNone(d.get_cookie("tusk_review"))
        self.shot("review-signin.png")

        self.sign_in("ana", rct.PASSWORD)
        self.wait_for("#queue")
        cookie = d.get_cookie("tusk_review")
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Strict")
        rows = d.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        open_items = [v["id"] for v in rct.ConsoleTest.open_items(self)]
        self.assertEqual([int(r.get_attribute("id")[5:]) for r in rows], open_items)
        self.assertIn("selected", rows[0].get_attribute("class"))

        # j moves the selection down, Enter opens it.
        body = d.find_element(By.TAG_NAME, "body")
        body.send_keys("j")
        self.assertIn("selected", d.find_elements(By.CSS_SELECTOR, "#queue tbody tr")[1].get_attribute("class"))
        body.send_keys(Keys.ENTER)
        self.wait_for("#decide-form")
        target = open_items[1]
        self.assertTrue(d.current_url.endswith("/review/item/%d" % target), d.current_url)
        marks = d.find_elements(By.CSS_SELECTOR, "#listing mark")
        self.assertTrue(marks, "no evidence marked")
        verdict = [v for v in rct.ConsoleTest.open_items(self) if v["id"] == target][0]["verdict"]
        evidence = {e["text"] for f in verdict["fired"] for e in f["evidence"]}
        for m in marks:
            self.assertTrue(any(t in m.text for t in evidence), m.text)

        # n focuses the note; Escape leaves it; d dismisses and the next item loads.
        body = d.find_element(By.TAG_NAME, "body")
        body.send_keys("n")
        d.switch_to.active_element.send_keys("the colour, not the material")
        d.switch_to.active_element.send_keys(Keys.ESCAPE)
        d.find_element(By.TAG_NAME, "body").send_keys("d")
        self.wait_for("#decide-form")
        self.assertFalse(d.current_url.endswith("/review/item/%d" % target), d.current_url)
        self.assertNotIn(target, [v["id"] for v in rct.ConsoleTest.open_items(self)])
        decided = [l for l in rct.ConsoleTest.audit(self) if "decide dismiss verdict %d" % target in l]
        self.assertEqual(len(decided), 1)
        self.assertIn("  ana  ", decided[0])
        self.assertIn("the colour, not the material", decided[0])

        d.get(self.base + "/review/audit")
        self.wait_for("#audit")
        self.assertIn("decide dismiss verdict %d" % target, d.find_element(By.ID, "audit").text)
        self.shot("review-audit.png")
        self.assertEqual(self.csp_violations(), [])

        d.find_element(By.ID, "signout").click()
        self.wait_for("#signin")
        self.assertIsNone(d.get_cookie("tusk_review"))


if __name__ == "__main__":
    rct.TUSK, rct.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    SHOTS = os.path.abspath(sys.argv[3])
    # python3-selenium is Debian's: when another python3 runs this test, hand it to Debian's.
    debian = "/usr/bin/python3"
    if "selenium" in missing() and os.path.realpath(sys.executable) != os.path.realpath(debian) and os.access(debian, os.X_OK):
        probe = __import__("subprocess").run([debian, "-c", "import selenium"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            os.execv(debian, [debian] + sys.argv)
    absent = missing()
    if absent:
        print("SKIPPED: the browser test needs %s (Debian: chromium, chromium-driver, python3-selenium; "
              "install them with scripts/bootstrap --browser)" % ", ".join(absent))
        sys.exit(SKIP)
    os.makedirs(SHOTS, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[4:])
