"""The chat page and the agent console in a real browser (headless Chromium through Selenium).

A customer opens the chat page behind a path prefix and talks to the bot, then asks for a person;
an agent signs in on the console, sees the request in the queue, claims it, reads the history,
corrects an intent and replies; the customer page shows the reply; the agent tries to link the
record with one that does not exist (refused on the form) and hands the conversation back and the customer page gets the bot again. The gateway is then restarted and the
page resumes the same session. The customer writes three similar messages the bot does not
understand; the shop owner opens the dashboard (/admin), sees the charts drawn from all of it and
teaches the group as order_status. Every page is checked with axe-core (no serious or critical
findings) on the way, and the browsers' consoles must show no policy violation or script error.

Usage: browser_test.py --bin PATH/TO/orderbot [--screenshots DIR]
Exit status 0 when every check passed.
"""

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from prefix_proxy import PrefixProxy

WAIT_SECONDS = 20
PREFIX = "/sklep/czat"
ADMIN_TOKEN = "browser-test-admin-token"
# Three messages of one group that the classifier puts out of scope ("Kiedy dotrze MOJ pakunek?!"
# reads as order_status at 0.56, not a miss).
MISSES = ["kiedy dotrze mój pakunek", "kiedy wreszcie dotrze mój pakunek", "Kiedy wreszcie dotrze MÓJ pakunek???"]


class Failure(Exception):
    pass


def step(text):
    print(f"· {text}", flush=True)


class Gateway:
    """`orderbot serve` on a port of its own choosing (or a given one), with its own database."""

    def __init__(self, binary, directory):
        self.binary = binary
        self.database = os.path.join(directory, "orderbot.sqlite")
        self.log_path = os.path.join(directory, "orderbot.log")
        self.process = None
        self.port = 0

    def add_agent(self, name):
        result = subprocess.run(
            [self.binary, "agent", "add", name, "--db", self.database], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def start(self, port=0):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", str(port), "--db", self.database, "--log", "info"],
            stdout=log, stderr=log, env={**os.environ, "ORDERBOT_ADMIN_TOKEN": ADMIN_TOKEN})
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log_path) as lines:
                ports = re.findall(r"msg=listening .*port=(\d+)", lines.read())
            if len(ports) > self.starts_seen():
                self.port = int(ports[-1])
                self.started = len(ports)
                return self.port
            if self.process.poll() is not None:
                raise Failure(f"orderbot exited with {self.process.returncode}: {open(self.log_path).read()[-2000:]}")
            time.sleep(0.05)
        raise Failure("orderbot did not start listening")

    def starts_seen(self):
        return getattr(self, "started", 0)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise Failure("orderbot did not stop within 15 s of SIGTERM")
            if self.process.returncode != 0:
                raise Failure(f"orderbot exited with {self.process.returncode} on SIGTERM")


class ProxyThread:
    """The prefix proxy on an event loop of its own."""

    def __init__(self, upstream_port):
        self.loop = asyncio.new_event_loop()
        self.proxy = PrefixProxy(PREFIX, upstream_port)
        ready = threading.Event()
        self.port = 0

        def run():
            asyncio.set_event_loop(self.loop)
            self.port = self.loop.run_until_complete(self.proxy.start())
            ready.set()
            self.loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        ready.wait(10)


def browser(width, height, language):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", f"--lang={language.split(',')[0]}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def wait(driver, what, condition, seconds=WAIT_SECONDS):
    # A page that re-renders a list while a condition reads it leaves stale elements: not yet.
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: condition(d))
    except TimeoutException:
        raise Failure(f"timed out waiting for {what}") from None


def element(driver, selector):
    found = driver.find_elements(By.CSS_SELECTOR, selector)
    return found[0] if found else None


def attribute(driver, selector, name):
    found = element(driver, selector)
    return found.get_attribute(name) if found else None


def texts(driver, selector):
    return [found.text for found in driver.find_elements(By.CSS_SELECTOR, selector)]


def accessibility(driver, page):
    """axe-core on the page as it is now: no serious or critical finding."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    minor = [v for v in results["violations"] if v not in bad]
    step(f"axe on {page}: {len(results['passes'])} rules passed, {len(bad)} serious or critical, "
         f"{len(minor)} minor{(' (' + ', '.join(v['id'] for v in minor) + ')') if minor else ''}")
    if bad:
        raise Failure(f"{page}: accessibility findings:\n{axe.report(bad)}")


def console_problems(driver, page):
    """Policy violations and script errors the page's console logged."""
    problems = []
    for entry in driver.get_log("browser"):
        message = entry.get("message", "")
        if "Content Security Policy" in message or "Refused to" in message:
            problems.append(message)
        elif entry.get("level") == "SEVERE" and "WebSocket" not in message and "ERR_CONNECTION_REFUSED" not in message:
            problems.append(message)
    if problems:
        raise Failure(f"{page}: the browser console shows problems:\n" + "\n".join(problems))


def send_chat(driver, text):
    box = element(driver, "#message-input")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def run(binary, screenshots):
    directory = tempfile.mkdtemp(prefix="orderbot-browser-")
    gateway = Gateway(binary, directory)
    token = gateway.add_agent("Ewa")
    port = gateway.start()
    proxy = ProxyThread(port)
    step(f"gateway on port {port}, behind {PREFIX}/ on port {proxy.port}")
    customer = browser(400, 760, "pl-PL,pl")
    agent = browser(1400, 900, "pl-PL,pl")
    try:
        chat_url = f"http://127.0.0.1:{proxy.port}{PREFIX}/"
        customer.get(chat_url)
        wait(customer, "the chat page to connect", lambda d: attribute(d, "#connection", "data-state") == "open")
        if customer.execute_script("return document.documentElement.lang") != "pl":
            raise Failure("the chat page is not in Polish for a Polish browser")
        accessibility(customer, "the chat page (empty)")

        send_chat(customer, "dzień dobry")
        wait(customer, "the bot's greeting", lambda d: len(texts(d, "#messages .message.bot .text")) >= 1)
        wait(customer, "the customer's message to be acked",
             lambda d: attribute(d, "#messages .message.customer", "data-state") == "sent")
        send_chat(customer, "chcę zamówić buty do biegania")
        wait(customer, "quick replies", lambda d: len(d.find_elements(By.CSS_SELECTOR, "button.quick-reply")) > 0)
        chip = element(customer, "button.quick-reply")
        chip_title = chip.text
        bot_before = len(texts(customer, "#messages .message.bot"))
        chip.click()
        wait(customer, f"the chip '{chip_title}' to be sent and answered",
             lambda d: len(texts(d, "#messages .message.bot")) > bot_before)
        accessibility(customer, "the chat page (talking to the bot)")

        send_chat(customer, "chcę rozmawiać z konsultantem")
        wait(customer, "the handoff status 'waiting'", lambda d: attribute(d, "#handoff", "data-status") == "waiting")
        step(f"customer: handed over, the page says “{element(customer, '#handoff').text}”")

        agent.get(f"http://127.0.0.1:{port}/agent")
        wait(agent, "the sign-in form", lambda d: element(d, "#token") is not None and element(d, "#token").is_displayed())
        accessibility(agent, "the console (sign-in)")
        element(agent, "#token").send_keys("oba_wrong")
        element(agent, "#token").send_keys(Keys.ENTER)
        wait(agent, "a refused token to be reported", lambda d: (element(d, "#signin-error").text or "").strip() != "")
        element(agent, "#token").clear()
        element(agent, "#token").send_keys(token)
        element(agent, "#token").send_keys(Keys.ENTER)
        wait(agent, "the console after sign-in", lambda d: element(d, "#agent-name").text.strip() == "Ewa")
        item = wait(agent, "the request in the queue",
                    lambda d: element(d, "#queue li.queue-item[data-status='open']"))
        step(f"agent: queue item “{' / '.join(item.text.splitlines())}”")
        accessibility(agent, "the console (queue)")
        element(agent, "#queue li.queue-item[data-status='open'] button.claim").click()
        wait(agent, "the conversation to open", lambda d: attribute(d, "#conversation", "data-escalation-id"))
        wait(agent, "the history with the customer's messages",
             lambda d: any("konsultantem" in t for t in texts(d, "#history .message.customer .text")))
        record = element(agent, "#customer").text
        if "web" not in record.lower() and "czat" not in record.lower():
            raise Failure(f"the customer record does not show the web identity: {record}")

        first = element(agent, "#history .message.customer")
        message_id = first.get_attribute("data-message-id")
        choice = first.find_element(By.CSS_SELECTOR, "select.intent-select")
        webdriver.support.select.Select(choice).select_by_value("store_info")
        first.find_element(By.CSS_SELECTOR, "button.apply-label").click()
        wait(agent, "the correction to be confirmed",
             lambda d: "store_info" in (element(d, f"#history .message[data-message-id='{message_id}']").text
                                        + (attribute(d, f"#history .message[data-message-id='{message_id}']", "data-intent") or ""))
             or "Poprawiono" in element(d, f"#history .message[data-message-id='{message_id}']").text)
        step("agent: corrected the intent of the first message")

        reply = "Dzień dobry, tu Ewa. Chętnie pomogę w wyborze butów."
        element(agent, "#reply-text").send_keys(reply)
        element(agent, "#reply-send").click()
        wait(agent, "the reply in the console's history",
             lambda d: reply in texts(d, "#history .message.agent .text"))
        wait(customer, "the agent's reply on the chat page",
             lambda d: reply in texts(d, "#messages .message.agent .text"))
        wait(customer, "the handoff status 'agent_joined'",
             lambda d: attribute(d, "#handoff", "data-status") == "agent_joined")
        step(f"customer: sees the agent's reply; the page says “{element(customer, '#handoff').text}”")
        accessibility(agent, "the console (conversation)")
        accessibility(customer, "the chat page (with an agent)")
        if screenshots:
            os.makedirs(screenshots, exist_ok=True)
            customer.save_screenshot(os.path.join(screenshots, "chat-page.png"))
            # axe scrolls what it checks into view; the picture shows each column from its top.
            agent.execute_script("document.getElementById('customer').scrollTop = 0")
            agent.save_screenshot(os.path.join(screenshots, "agent-console.png"))
            step(f"screenshots saved in {screenshots}")

        element(agent, "input.link-customer-id").send_keys("999999")
        element(agent, "button.link-submit").click()
        WebDriverWait(agent, WAIT_SECONDS).until(lambda d: d.switch_to.alert).accept()
        wait(agent, "a link to a record that does not exist to be refused on the form",
             lambda d: "Nie ma takiego klienta" in element(d, ".link-form .link-status").text)
        step("agent: linking with a record that does not exist is refused, and the form says so")

        element(agent, "#resolve-bot").click()
        wait(agent, "the conversation to close on the console",
             lambda d: not attribute(d, "#conversation", "data-escalation-id"))
        wait(customer, "the handoff status 'returned_to_bot'",
             lambda d: attribute(d, "#handoff", "data-status") == "returned_to_bot")
        bot_before = len(texts(customer, "#messages .message.bot"))
        send_chat(customer, "jakie macie formy płatności?")
        wait(customer, "the bot to answer again after the hand-back",
             lambda d: len(texts(d, "#messages .message.bot")) > bot_before)
        step(f"customer: the bot answers again: “{texts(customer, '#messages .message.bot .text')[-1][:70]}…”")
        console_problems(customer, "the chat page")
        console_problems(agent, "the console")

        session = customer.execute_script("return localStorage.getItem('orderbot.chat.session')")
        gateway.stop()
        wait(customer, "the chat page to notice the lost connection",
             lambda d: attribute(d, "#connection", "data-state") in ("reconnecting", "offline"))
        wait(agent, "the console to notice the lost connection",
             lambda d: attribute(d, "#connection", "data-state") in ("reconnecting", "offline"))
        step("gateway stopped: both pages show the lost connection")
        gateway.start(port)
        wait(customer, "the chat page to reconnect", lambda d: attribute(d, "#connection", "data-state") == "open", 40)
        wait(agent, "the console to reconnect", lambda d: attribute(d, "#connection", "data-state") == "open", 40)
        if customer.execute_script("return localStorage.getItem('orderbot.chat.session')") != session:
            raise Failure("the chat page did not resume its session after the restart")
        bot_before = len(texts(customer, "#messages .message.bot"))
        send_chat(customer, "gdzie jest mój sklep stacjonarny?")
        wait(customer, "a reply after the restart", lambda d: len(texts(d, "#messages .message.bot")) > bot_before)
        step("gateway restarted: both pages reconnected, the chat resumed its session and the bot answers")

        for text in MISSES:
            bot_before = len(texts(customer, "#messages .message.bot"))
            send_chat(customer, text)
            wait(customer, f"an answer to “{text}”", lambda d: len(texts(d, "#messages .message.bot")) > bot_before
                 or attribute(d, "#handoff", "data-status") == "waiting")
        step(f"customer: wrote {len(MISSES)} similar messages the bot does not understand")
        console_problems(customer, "the chat page")
        admin_dashboard(f"http://127.0.0.1:{proxy.port}{PREFIX}/admin", token, screenshots)

        # The taught group is the classifier's at once: a new conversation asking the same is
        # answered about an order, not with "I do not understand".
        customer.execute_script("localStorage.clear()")
        customer.get(chat_url)
        wait(customer, "a new chat session", lambda d: attribute(d, "#connection", "data-state") == "open")
        send_chat(customer, MISSES[0])
        answer = wait(customer, "the bot's answer after the teaching",
                      lambda d: (texts(d, "#messages .message.bot .text") or [None])[-1])
        if "nie rozumiem" in answer.lower() or "zamówie" not in answer.lower():
            raise Failure(f"after teaching, “{MISSES[0]}” is answered with “{answer}”, not about an order")
        step(f"customer: after the teaching “{MISSES[0]}” is answered “{answer[:60]}…” (order_status, no restart)")
    finally:
        if screenshots and sys.exc_info()[0] is not None:
            os.makedirs(screenshots, exist_ok=True)
            customer.save_screenshot(os.path.join(screenshots, "failed-chat-page.png"))
            agent.save_screenshot(os.path.join(screenshots, "failed-agent-console.png"))
        customer.quit()
        agent.quit()
        gateway.stop()


def bars(driver, selector):
    """The values and drawn sizes of a chart's bars: [(value, width, height)]."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(r => "
        "[Number(r.dataset.value), Number(r.getAttribute('width')), Number(r.getAttribute('height'))])", selector)


def card_value(driver, name):
    found = element(driver, f"#cards li[data-card='{name}'] .card-value")
    return found.text.strip() if found else ""


def admin_dashboard(url, agent_token, screenshots):
    """The shop owner's dashboard behind the prefix: sign-in refusals, the charts with data,
    one group of misses taught as order_status, axe, a narrow screen and a clean console."""
    admin = browser(1280, 800, "pl-PL,pl")
    try:
        admin.get(url)
        wait(admin, "the dashboard's sign-in form", lambda d: element(d, "#token") is not None and element(d, "#token").is_displayed())
        accessibility(admin, "the dashboard (sign-in)")
        for refused, words in (("wrong-token", "odrzucony"), (agent_token, "konsultanta")):
            element(admin, "#token").clear()
            element(admin, "#token").send_keys(refused)
            element(admin, "#token").send_keys(Keys.ENTER)
            wait(admin, f"the dashboard to refuse a token with “{words}”", lambda d: words in element(d, "#signin-error").text)
        # The refusals are logged as failed loads; nothing else may be.
        unexpected = [entry["message"] for entry in admin.get_log("browser")
                      if (entry.get("level") == "SEVERE" or "Refused to" in entry.get("message", ""))
                      and not re.search(r"api/analytics/\S+ - Failed to load resource: .* status of 40[13]", entry.get("message", ""))]
        if unexpected:
            raise Failure("the dashboard's console shows more than the refused requests:\n" + "\n".join(unexpected))
        step("admin: a wrong token (401) and an agent's token (403) are refused on the form")
        element(admin, "#token").send_keys(ADMIN_TOKEN)
        element(admin, "#token").send_keys(Keys.ENTER)
        wait(admin, "the summary cards", lambda d: card_value(d, "conversations") not in ("", "0"))
        if admin.current_url != url or ADMIN_TOKEN in admin.current_url:
            raise Failure(f"the dashboard changed its URL: {admin.current_url}")
        if admin.execute_script("return sessionStorage.getItem('orderbot.admin.token')") != ADMIN_TOKEN:
            raise Failure("the dashboard did not keep the token in sessionStorage")
        cards = {name: card_value(admin, name) for name in ("conversations", "customers", "orders", "contained", "misunderstood")}
        step("admin: cards " + ", ".join(f"{name} {value}" for name, value in cards.items()))
        if cards["customers"] in ("", "0") or cards["misunderstood"] in ("", "0", "1", "2"):
            raise Failure(f"the cards do not show the test's customer and misses: {cards}")

        # (selector, the size that grows with the value: 1 width, 2 height)
        charts = {
            "by day": ("#chart-days svg[role='img'] rect.bar.conversations", 2),
            "channels": ("#chart-channels svg[role='img'] rect.bar", 1),
            "containment": ("#chart-containment svg[role='img'] rect.bar", 1),
            "funnel": ("#chart-funnel svg[role='img'] rect.bar", 1),
            "top intents": ("#chart-intents svg[role='img'] rect.bar", 1),
        }
        drawn = []
        for name, (selector, size) in charts.items():
            values = [bar for bar in bars(admin, selector) if bar[0] > 0 and bar[size] > 0]
            if not values:
                raise Failure(f"the {name} chart has no bar with data: {bars(admin, selector)}")
            label = admin.find_element(By.CSS_SELECTOR, selector.split(" rect")[0]).get_attribute("aria-label") or ""
            if not re.search(r"[1-9]", label):
                raise Failure(f"the {name} chart's label states no number: {label!r}")
            drawn.append(f"{name} {len(values)}")
        step("admin: charts drawn with data (bars > 0: " + ", ".join(drawn) + ")")
        step(f"admin: the funnel says “{attribute(admin, '#chart-funnel svg', 'aria-label')}”")

        def miss(d):
            return next((item for item in d.find_elements(By.CSS_SELECTOR, "#misses-list li.miss")
                         if "pakunek" in item.find_element(By.CSS_SELECTOR, ".miss-text").text), None)

        group = wait(admin, "the group of the three misses", miss)
        count = group.find_element(By.CSS_SELECTOR, ".miss-count").text
        if not count.startswith("3"):
            raise Failure(f"the group of the three similar misses counts “{count}”")
        step(f"admin: misses group “{group.find_element(By.CSS_SELECTOR, '.miss-text').text}”, {count}")
        accessibility(admin, "the dashboard (charts and misses)")
        if screenshots:
            os.makedirs(screenshots, exist_ok=True)
            admin.execute_script("document.activeElement.blur()")
            height = admin.execute_script("return document.documentElement.scrollHeight")
            admin.set_window_size(1280, min(2400, max(800, height + 160)))
            admin.execute_script("window.scrollTo(0, 0)")
            admin.save_screenshot(os.path.join(screenshots, "admin-dashboard.png"))
            admin.set_window_size(1280, 800)
            step(f"screenshot saved in {screenshots}")

        webdriver.support.select.Select(group.find_element(By.CSS_SELECTOR, "select.intent-select")).select_by_value("order_status")
        group.find_element(By.CSS_SELECTOR, "button.teach").click()
        wait(admin, "the taught group to leave the list and the page to say so",
             lambda d: miss(d) is None and "Nauczono 3" in element(d, "#misses-status").text)
        step(f"admin: taught the group as order_status: “{element(admin, '#misses-status').text}”")
        accessibility(admin, "the dashboard (after teaching)")

        # One day, today: the same numbers come back for the shorter period.
        today = admin.execute_script("return document.getElementById('to').value")
        admin.execute_script("document.getElementById('from').value = arguments[0]", today)
        element(admin, "#period-submit").click()
        wait(admin, "the summary of one day", lambda d: element(d, "#from").get_attribute("value") == today
             and len(d.find_elements(By.CSS_SELECTOR, "#chart-days svg rect.bar.conversations")) == 1
             and card_value(d, "conversations") == cards["conversations"])
        step(f"admin: the period {today} to {today} shows “{element(admin, '#period-status').text}”")
        admin.get(url + "?lang=en")
        wait(admin, "the dashboard in English, signed in from sessionStorage",
             lambda d: d.execute_script("return document.documentElement.lang") == "en"
             and "Conversations" in texts(d, "#cards li[data-card='conversations'] .card-label"))
        step(f"admin: in English after a reload without the token asked again: “{element(admin, '#chart-funnel svg').get_attribute('aria-label')}”")
        admin.set_window_size(390, 844)
        overflow = admin.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            raise Failure(f"the dashboard is {overflow} px wider than a 390 px screen")
        accessibility(admin, "the dashboard (390 px wide)")
        console_problems(admin, "the dashboard")
        step("admin: fits a 390 px screen; no console problems")
    finally:
        if screenshots and sys.exc_info()[0] is not None:
            os.makedirs(screenshots, exist_ok=True)
            admin.save_screenshot(os.path.join(screenshots, "failed-admin-dashboard.png"))
        admin.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the orderbot binary to test")
    parser.add_argument("--screenshots", help="save screenshots of both pages in this folder")
    arguments = parser.parse_args()
    started = time.time()
    try:
        run(os.path.abspath(arguments.bin), arguments.screenshots)
    except Failure as failure:
        print(f"FAIL browser test: {failure}", flush=True)
        return 1
    print(f"PASS browser test ({time.time() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
