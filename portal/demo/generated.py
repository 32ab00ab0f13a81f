"""Generated demo customers: Finnish-looking, invented, the same on every run (fixed seed).

Dates are counted back from the day of loading, so the demo always looks current.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from portal.demo import DEMO_DOMAINS, SEED, DemoOrder, DemoPerson, at
from portal.validators import business_id_check_digit

GENERATED_COUNT = 240

FEMALE = (
    "Aino Anna Helmi Sofia Emilia Johanna Kaisa Laura Minna Riikka Sari Tiina Satu Päivi "
    "Elina Hanna Outi Sanna Kirsi Leena Eeva Marjatta Pirjo Ulla Venla Ilona"
).split()
MALE = (
    "Antti Eero Jari Juha Jukka Kari Markku Mikko Pekka Petri Sami Timo Tuomas Ville Heikki "
    "Janne Lauri Olli Risto Veikko Aleksi Onni Väinö Esa Kalle Harri"
).split()
SURNAMES = (
    "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen "
    "Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen "
    "Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila "
    "Savolainen Ahonen Hirvonen Kettunen Leppänen Räsänen Väisänen Koivisto "
    "Peltonen"
).split()
STREETS = (
    "Koivukuja Mäntytie Rantakatu Kauppakatu Myllytie Kirkkokatu Puistotie Harjukatu "
    "Pajatie Peltotie Kuusitie Lehtikuja Satamakatu Asemakatu Tehtaankatu Koulukatu "
    "Sepänkatu Ahotie Niittykuja Järvitie Pihlajatie Kalliokatu Torikatu "
    "Vaahterakuja"
).split()
# Real Finnish postal codes with their post offices.
POST_OFFICES = (
    ("00100", "Helsinki"),
    ("00180", "Helsinki"),
    ("00500", "Helsinki"),
    ("00720", "Helsinki"),
    ("00980", "Helsinki"),
    ("02100", "Espoo"),
    ("02600", "Espoo"),
    ("01300", "Vantaa"),
    ("01600", "Vantaa"),
    ("20100", "Turku"),
    ("20540", "Turku"),
    ("33100", "Tampere"),
    ("33500", "Tampere"),
    ("40100", "Jyväskylä"),
    ("15110", "Lahti"),
    ("90100", "Oulu"),
    ("70100", "Kuopio"),
    ("80100", "Joensuu"),
    ("65100", "Vaasa"),
    ("28100", "Pori"),
    ("13100", "Hämeenlinna"),
    ("53100", "Lappeenranta"),
    ("96100", "Rovaniemi"),
    ("04400", "Järvenpää"),
    ("05800", "Hyvinkää"),
    ("06100", "Porvoo"),
    ("50100", "Mikkeli"),
)
COMPANY_FORMS = ("Rakennus {} Oy", "LVI-{} Oy", "Konepaja {} Oy", "Kiinteistöhuolto {} Ky")
PRODUCTS = (
    ("Palloventtiili DN15", "12.90"),
    ("Kiertovesipumppu 25-60", "289.00"),
    ("Termostaattiventtiili", "34.50"),
    ("Paineenalennusventtiili DN20", "89.00"),
    ("Lämmönsiirrin LS-30", "640.00"),
    ("Lianerotin DN25", "42.00"),
    ("Painemittari 0–10 bar", "24.90"),
    ("Varoventtiili 3 bar", "38.00"),
    ("Tiivistesarja", "9.90"),
    ("Säätöventtiili DN32", "156.00"),
    ("Paisuntasäiliö 25 l", "79.00"),
    ("Sulkuventtiili DN40", "98.00"),
)
DELIVERY_METHODS = (
    ("Posti, kotiinkuljetus", "JJFI"),
    ("Posti, pakettiautomaatti", "JJFI"),
    ("Matkahuolto, Lähellä-paketti", "MH"),
)
RETURN_REASONS = ("Väärä koko", "Vaurioitunut kuljetuksessa", "Tilattu vahingossa")
_ASCII = str.maketrans({"ä": "a", "ö": "o", "å": "a"})


def ascii_name(name: str) -> str:
    return name.lower().translate(_ASCII)


def phone(rng: random.Random) -> str:
    return f"+358{rng.choice(('40', '41', '44', '45', '50'))}{rng.randrange(10**7):07d}"


def address(rng: random.Random) -> dict:
    street = f"{rng.choice(STREETS)} {rng.randint(1, 60)}"
    if rng.random() < 0.4:
        street += f" {rng.choice('ABC')} {rng.randint(1, 30)}"
    postal_code, post_office = rng.choice(POST_OFFICES)
    return {"street_address": street, "postal_code": postal_code, "post_office": post_office}


def business_id(rng: random.Random) -> str:
    while True:
        digits = f"{rng.randrange(1, 3_400_000):07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"


def unique(candidate: str, taken: set[str]) -> str:
    """candidate, or candidate with a number appended, whichever is not yet taken."""
    local, at_sign, domain = candidate.partition("@")
    value, n = candidate, 1
    while value in taken:
        n += 1
        value = f"{local}{n}{at_sign}{domain}"
    taken.add(value)
    return value


def orders_for(
    rng: random.Random,
    *,
    number: str,
    count: int,
    addr: dict,
    today: date,
    span_days: int,
    returns: int = 0,
) -> list[DemoOrder]:
    """`count` orders over the last `span_days`, each delivered and invoiced; some returned."""
    ship_to = f"{addr['street_address']}, {addr['postal_code']} {addr['post_office']}"
    ages = sorted(rng.sample(range(1, span_days), count), reverse=True)
    orders, returnable = [], []
    for i, age in enumerate(ages, start=1):
        placed = today - timedelta(days=age)
        lines = [
            (name, Decimal(price), rng.randint(1, 3))
            for name, price in rng.sample(PRODUCTS, rng.randint(1, 3))
        ]
        total = sum(price * qty for _name, price, qty in lines)
        delivered = age > 4  # the newest orders are still on their way
        method, prefix = rng.choice(DELIVERY_METHODS)
        issued = placed + timedelta(days=1)
        paid = issued + timedelta(days=rng.randint(2, 14))
        order = DemoOrder(
            order={
                "number": f"T{number}-{i:02d}",
                "placed_at": at(placed, rng.randint(8, 21)),
                "status": "delivered" if delivered else "received",
                "items": "\n".join(f"{qty} × {name}" for name, _price, qty in lines),
                "total": total,
            },
            delivery={
                "method": method,
                "address": ship_to,
                "shipped_at": at(issued, 9) if age > 1 else None,
                "delivered_at": at(placed + timedelta(days=3), 14) if delivered else None,
                "tracking_code": f"{prefix}{rng.randrange(10**12):012d}",
            },
            invoice={
                "number": f"L{number}-{i:02d}",
                "issued_on": issued,
                "due_on": issued + timedelta(days=14),
                "amount": total,
                "paid_on": paid if paid < today else None,
            },
        )
        orders.append(order)
        if age > 30:  # returns come within weeks of delivery, so only older orders have them
            returnable.append((order, lines[0]))
    for order, (name, price, _qty) in rng.sample(returnable, min(returns, len(returnable))):
        order.returns.append(
            {
                "returned_on": order.delivery["delivered_at"].date() + timedelta(days=7),
                "items": f"1 × {name}",
                "reason": rng.choice(RETURN_REASONS),
                "refund": price,
            }
        )
    return orders


def _customer(rng, *, first, last, email, addr, since) -> dict:
    details = {
        "customer_type": "person",
        "first_name": first,
        "last_name": last,
        "phone": phone(rng),
        "email": email,
        "created_at": since,
        **addr,
        "payment_terms": rng.choice(("7 pv netto", "14 pv netto", "30 pv netto")),
        "credit_limit": Decimal(rng.choice((500, 1000, 2000, 5000))),
    }
    if rng.random() < 0.12:
        details.update(
            customer_type="company",
            first_name="",
            last_name="",
            company_name=rng.choice(COMPANY_FORMS).format(last),
            business_id=business_id(rng),
            contact_person=f"{first} {last}",
        )
    return details


def generated_people(today: date, *, taken: set[str]) -> list[DemoPerson]:
    """GENERATED_COUNT customers; `taken` holds emails and usernames already in use."""
    rng = random.Random(SEED)
    people = []
    for i in range(1, GENERATED_COUNT + 1):
        first = rng.choice(FEMALE if rng.random() < 0.5 else MALE)
        last = rng.choice(SURNAMES)
        person = DemoPerson(display_name=f"{first} {last}")
        email = unique(f"{ascii_name(first)}.{ascii_name(last)}@{rng.choice(DEMO_DOMAINS)}", taken)
        addr = address(rng)
        since = at(today - timedelta(days=rng.randint(400, 3000)), 10)
        member = {
            r: rng.random() < p
            for r, p in (("billing", 0.35), ("postal", 0.45), ("newsletter", 0.4), ("webshop", 0.3))
        }
        if not any(member.values()):
            member["postal"] = True
        if any(member[r] for r in ("billing", "postal", "webshop")):
            person.customer_number = f"2{i:05d}"
        customer = _customer(rng, first=first, last=last, email=email, addr=addr, since=since)
        if member["billing"]:
            person.billing = dict(customer)
        if member["postal"]:
            person.postal = {
                "first_name": first,
                "last_name": last,
                "created_at": since,
                **addr,
                "disclosure_allowed": rng.random() < 0.85,
                "postal_marketing_allowed": rng.random() < 0.92,
            }
        if member["newsletter"]:
            person.newsletter = _subscription(rng, email, today)
        if member["webshop"]:
            username = unique(f"{ascii_name(first)}.{ascii_name(last)}", taken)
            person.webshop = {**customer, "username": username}
            person.orders = orders_for(
                rng,
                number=person.customer_number,
                addr=addr,
                count=rng.randint(1, 4),
                today=today,
                span_days=900,
                returns=int(rng.random() < 0.1),
            )
        people.append(person)
    return people


def _subscription(rng, email, today) -> dict:
    joined = at(today - timedelta(days=rng.randint(30, 2000)), rng.randint(7, 22))
    status = rng.choices(("confirmed", "pending", "unsubscribed"), weights=(80, 8, 12))[0]
    return {
        "email": email,
        "status": status,
        "subscribed_at": joined,
        "created_at": joined,
        "confirmed_at": joined + timedelta(minutes=rng.randint(2, 90))
        if status != "pending"
        else None,
        "unsubscribed_at": joined + timedelta(days=rng.randint(20, 25))
        if status == "unsubscribed"
        else None,
    }
