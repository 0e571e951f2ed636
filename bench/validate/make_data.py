#!/usr/bin/python3
"""Generates N varied 受講申込書 (jukou-moushikomi) data files for the validation
benchmark (scripts/bench-validate.sh), modelled on samples/jukou-moushikomi/.

usage: make_data.py [--seed S] [--bad-rate R] N OUTDIR

Every file is schema-valid and passes the business rules (warnings JK-003 future
date, JK-004, JK-012, JK-013 may occur, as on real forms) except a share R
(default 0.10) that carries exactly one deliberate defect, chosen at random
among the kinds of change the samples/jukou-moushikomi/rules/JK-*-fail.xml files
make (wrong age, under 55, date order, inconsistent 在職中 items, pension kinds,
その他 without text, unknown occupation code, malformed postal code / phone /
e-mail / 求職番号, desired-hours conflicts, non-katakana furigana) plus a few
schema (XSD) errors. Values are normalisation-free (ASCII digits and dashes,
full-width katakana), so yoshiki's <normalize> steps change nothing and a
normalisation-free Schematron copy of the rules must agree with it.

Writes OUTDIR/aNNNNN.xml (old *.xml in OUTDIR are removed first) and
OUTDIR/manifest.tsv: file, intended defect ("-" for none). Deterministic for a
given seed and N.
"""
import csv
import datetime as dt
import os
import random
import re
import sys
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_csv(name):
    with open(os.path.join(ROOT, "schemas", "codes", name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


OCCUPATIONS = [(r["code"], r["name"]) for r in read_csv("occupation-small.csv")]
OCC_CODES = {c for c, _ in OCCUPATIONS}
INDUSTRIES = sorted({r["middle"] for r in read_csv("jsic13-middle.csv")})

SURNAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
    ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"),
    ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"),
    ("前田", "マエダ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"), ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"),
    ("福田", "フクダ"), ("太田", "オオタ"), ("西村", "ニシムラ"), ("藤井", "フジイ"), ("金子", "カネコ"),
    ("岡本", "オカモト"), ("藤原", "フジワラ"), ("中野", "ナカノ"), ("三浦", "ミウラ"), ("原田", "ハラダ"),
    ("松田", "マツダ"), ("竹内", "タケウチ"), ("小野", "オノ"), ("田村", "タムラ"), ("中川", "ナカガワ"),
    ("和田", "ワダ"), ("石田", "イシダ"), ("森田", "モリタ"), ("上田", "ウエダ"), ("原", "ハラ"),
    ("内田", "ウチダ"), ("柴田", "シバタ"), ("酒井", "サカイ"), ("宮崎", "ミヤザキ"), ("横山", "ヨコヤマ"),
    ("高木", "タカギ"), ("安藤", "アンドウ"), ("宮本", "ミヤモト"), ("大野", "オオノ"), ("小島", "コジマ"),
    ("工藤", "クドウ"), ("谷口", "タニグチ"), ("今井", "イマイ"), ("高田", "タカダ"), ("増田", "マスダ"),
    ("丸山", "マルヤマ"), ("杉山", "スギヤマ"), ("村田", "ムラタ"), ("大塚", "オオツカ"), ("新井", "アライ"),
    ("小山", "コヤマ"), ("平野", "ヒラノ"), ("河野", "コウノ"), ("上野", "ウエノ"), ("野口", "ノグチ"),
    ("武田", "タケダ"), ("千葉", "チバ"), ("岩崎", "イワサキ"), ("菅原", "スガワラ"), ("木下", "キノシタ"),
    ("久保", "クボ"), ("野村", "ノムラ"), ("松尾", "マツオ"), ("市川", "イチカワ"), ("長谷部", "ハセベ"),
]
MALE = [
    ("和彦", "カズヒコ"), ("正志", "マサシ"), ("博", "ヒロシ"), ("茂", "シゲル"), ("隆", "タカシ"), ("誠", "マコト"),
    ("清", "キヨシ"), ("進", "ススム"), ("勝", "マサル"), ("修", "オサム"), ("健一", "ケンイチ"), ("浩二", "コウジ"),
    ("幸雄", "ユキオ"), ("俊夫", "トシオ"), ("正", "タダシ"), ("実", "ミノル"), ("明", "アキラ"), ("豊", "ユタカ"),
    ("弘", "ヒロシ"), ("稔", "ミノル"), ("功", "イサオ"), ("哲也", "テツヤ"), ("秀樹", "ヒデキ"), ("信之", "ノブユキ"),
    ("義雄", "ヨシオ"), ("克己", "カツミ"), ("達也", "タツヤ"), ("英二", "エイジ"), ("光男", "ミツオ"),
    ("一郎", "イチロウ"), ("良平", "リョウヘイ"), ("雅之", "マサユキ"), ("純一", "ジュンイチ"), ("恭平", "キョウヘイ"),
]
FEMALE = [
    ("恵子", "ケイコ"), ("洋子", "ヨウコ"), ("幸子", "サチコ"), ("和子", "カズコ"), ("節子", "セツコ"), ("京子", "キョウコ"),
    ("久美子", "クミコ"), ("由美子", "ユミコ"), ("美智子", "ミチコ"), ("裕子", "ユウコ"), ("直美", "ナオミ"),
    ("真理子", "マリコ"), ("順子", "ジュンコ"), ("弘子", "ヒロコ"), ("典子", "ノリコ"), ("明美", "アケミ"),
    ("悦子", "エツコ"), ("陽子", "ヨウコ"), ("智子", "トモコ"), ("文子", "フミコ"), ("千代子", "チヨコ"),
    ("君子", "キミコ"), ("早苗", "サナエ"), ("康子", "ヤスコ"), ("美穂", "ミホ"), ("千春", "チハル"),
    ("久子", "ヒサコ"), ("信子", "ノブコ"), ("静香", "シズカ"), ("緑", "ミドリ"), ("ゆかり", "ユカリ"),
]
# (prefecture + city, first 3 postal digits, area code, romaji city for e-mail)
PLACES = [
    ("東京都中野区", "164", "03", "nakano"), ("東京都杉並区", "166", "03", "suginami"),
    ("東京都練馬区", "176", "03", "nerima"), ("東京都八王子市", "192", "042", "hachioji"),
    ("神奈川県横浜市港北区", "222", "045", "yokohama"), ("神奈川県川崎市中原区", "211", "044", "kawasaki"),
    ("埼玉県川口市", "332", "048", "kawaguchi"), ("埼玉県さいたま市浦和区", "330", "048", "urawa"),
    ("千葉県船橋市", "273", "047", "funabashi"), ("千葉県千葉市花見川区", "262", "043", "chiba"),
    ("大阪府大阪市北区", "530", "06", "osaka"), ("大阪府堺市堺区", "590", "072", "sakai"),
    ("愛知県名古屋市千種区", "464", "052", "nagoya"), ("京都府京都市左京区", "606", "075", "kyoto"),
    ("兵庫県神戸市灘区", "657", "078", "kobe"), ("福岡県福岡市博多区", "812", "092", "fukuoka"),
    ("北海道札幌市中央区", "060", "011", "sapporo"), ("宮城県仙台市青葉区", "980", "022", "sendai"),
    ("広島県広島市中区", "730", "082", "hiroshima"), ("静岡県静岡市葵区", "420", "054", "shizuoka"),
    ("新潟県新潟市中央区", "951", "025", "niigata"), ("岡山県岡山市北区", "700", "086", "okayama"),
    ("熊本県熊本市中央区", "860", "096", "kumamoto"), ("長野県松本市", "390", "0263", "matsumoto"),
]
TOWNS = ["本町", "中央", "旭町", "栄町", "緑町", "東町", "西町", "南町", "北町", "若葉", "桜台", "富士見",
         "松が丘", "青葉台", "宮前", "大和町", "幸町", "錦町", "川沿", "花園", "曙町", "千代田", "日吉町"]
KANJI_NUM = "一二三四五六七八九"
BUILDINGS = ["コーポ{s}", "サンハイツ{t}", "グリーンマンション", "メゾン{t}", "{t}レジデンス", "ハイム{s}",
             "パークサイド{t}", "第二{s}荘"]
COURSES = ["マンション管理員養成", "医療事務", "調理スタッフ", "介護職員初任者研修", "介護事務管理士",
           "ビルクリーニング", "庭木の剪定・植栽管理", "施設警備員", "保育補助", "家事代行サービス",
           "パソコン基礎（Word・Excel）", "送迎ドライバー", "販売・接客", "清掃スタッフ", "学童保育補助",
           "配送・倉庫作業", "駐輪場管理", "スーパーマーケット品出し"]
LICENSE_OTHER = ["危険物取扱者（乙種第4類）", "食品衛生責任者", "フォークリフト運転技能者", "第二種電気工事士",
                 "調理師", "介護福祉士", "宅地建物取引士", "大型自動車第一種免許", "日商簿記2級", "ボイラー技士2級",
                 "食品衛生責任者、危険物取扱者（乙種第4類）"]
TRIGGER_OTHER = ["市の広報誌で講習の案内を見て", "知人の紹介", "シルバー人材センターの会報で講習の案内を見て",
                 "町内会の回覧板を見て", "インターネットで検索して", "区役所の窓口で案内された"]
URGENCY_OTHER = ["派遣契約の終了までに次の仕事を決めたい", "家族の介護が落ち着いてから就職したい",
                 "年金受給開始までのつなぎとして働きたい", "資格取得後に改めて相談したい"]
MOTIVES = ["定年退職後も体力のあるうちは働き続けたいと考え、", "長年の事務経験を生かせる仕事を探しており、",
           "地域の役に立つ仕事がしたいと思い、", "家計の足しになる収入を得たいと考え、",
           "未経験の分野に挑戦するため基礎から学びたいと思い、", "ハローワークで講習を紹介され、"]
MOTIVE_ENDS = ["必要な知識と技能を身につけたいと思い申し込みました。", "受講を希望します。",
               "この講習で学んだことを再就職に役立てたいと考えています。"]
PLANS = ["講習修了後はハローワークで求人を探し、早期の就職を目指します。",
         "修了後はシルバー人材センターに登録し、週に数日働く予定です。",
         "資格を取得し、地元の事業所でパートとして働きたいと考えています。",
         "まずは短時間の仕事から始め、体調を見ながら勤務日数を増やしていく予定です。"]
WORKPLACES = ["{city}内", "{city}・近隣市", "自宅から自転車で通える範囲", "{city}（駅から徒歩圏）",
              "JR沿線で片道30分以内", "特になし"]
COMPANIES = ["株式会社{t}サービス", "有限会社{s}商店", "株式会社{t}物流", "{t}ビルメンテナンス株式会社",
             "株式会社アクトスタッフサービス {t}支店", "社会福祉法人{t}会", "{t}警備保障株式会社"]
SELF_EMPLOYED = ["{s}酒店", "{s}青果店", "{s}商店", "{s}工務店", "{s}理容室", "{s}税理士事務所", "{s}塗装"]

# Defect kinds (rule id, variant); weights are equal within the list.
DEFECTS = [
    ("JK-001", "age+1"), ("JK-001", "age-1"),
    ("JK-002", "under55"),
    ("JK-003", "issue-after"), ("JK-003", "consent-before"),
    ("JK-005", "working-no-worktype"), ("JK-005", "not-working-employer"), ("JK-005", "employed-no-term"),
    ("JK-005", "parttime-day-labour"), ("JK-005", "work-no-kind"), ("JK-005", "employed-workkind"),
    ("JK-005", "no-employer"), ("JK-005", "self-dispatch"),
    ("JK-006", "kind-not-receiving"), ("JK-006", "receiving-no-kind"),
    ("JK-007", "license-7"), ("JK-007", "trigger-4"), ("JK-007", "urgency-7"),
    ("JK-008", "unknown-code"),
    ("JK-009", "postal-no-hyphen"), ("JK-009", "phone-9-digits"), ("JK-009", "phone-12-digits"),
    ("JK-009", "phone-no-0"), ("JK-009", "mobile-double-hyphen"), ("JK-009", "email-no-dot"),
    ("JK-009", "email-space"), ("JK-009", "office-4"), ("JK-009", "serial-9"), ("JK-009", "no-phone-no-mobile"),
    ("JK-010", "from-eq-to"), ("JK-010", "from-only"), ("JK-010", "hours-0"), ("JK-010", "days-0"),
    ("JK-010", "any-with-hours"),
    ("JK-011", "hiragana"), ("JK-011", "kanji"), ("JK-011", "romaji"),
    ("XSD", "sex-3"), ("XSD", "bad-date"), ("XSD", "no-course"),
]

HIRA = {chr(k): chr(k - 0x60) for k in range(0x30A1, 0x30F7)}  # katakana → hiragana


def iso(d):
    return d.isoformat()


def age_on(birth, on):
    """yoshiki's rules::age_on (a 29 Feb birthday is 1 Mar in a common year)."""
    age = on.year - birth.year
    try:
        anniversary = dt.date(on.year, birth.month, birth.day)
    except ValueError:
        anniversary = dt.date(on.year, 3, 1)
    return age - (on < anniversary)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.app_lo = dt.date(2019, 4, 1).toordinal()
        self.app_hi = dt.date(2025, 12, 31).toordinal()
        self.job_pool = [(c, n) for c, n in OCCUPATIONS if 2 <= len(n) <= 40]

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def phone(self, area):
        r = self.r
        rest = 10 - len(area)
        a = rest - 4
        local = str(r.randint(2, 9)) + self.digits(a - 1)
        num = (area, local, self.digits(4))
        return "".join(num) if r.random() < 0.12 else "-".join(num)

    def mobile(self):
        parts = (self.r.choice(["090", "080", "070"]), self.digits(4), self.digits(4))
        return "".join(parts) if self.r.random() < 0.12 else "-".join(parts)

    def job(self):
        r = self.r
        code, name = r.choice(self.job_pool)
        title = r.choice(["{n}", "{n}（パート）", "{n}の補助", "{n}として勤務", "{n}（{y}年）"]).format(
            n=name, y=r.randint(2, 35))
        return {"title": title[:60], "occupationCode": code if r.random() < 0.8 else None}

    def person(self, app):
        r = self.r
        # age 55–84, weighted to the 60s; the birth date follows the age exactly
        target = min(84, 55 + int(abs(r.gauss(0, 1)) * 8))
        birth = dt.date.fromordinal(app.toordinal() - target * 365 - r.randint(0, 364) - target // 4)
        if r.random() < 0.002:  # now and then a 29 Feb birthday
            y = birth.year - birth.year % 4
            birth = dt.date(y if y % 100 else y - 4, 2, 29)
        while age_on(birth, app) < 55:
            birth = birth.replace(year=birth.year - 4)
        return birth, age_on(birth, app)

    def record(self, i):
        r = self.r
        app = dt.date.fromordinal(r.randint(self.app_lo, self.app_hi))
        if r.random() < 0.01:  # a future application date: warning JK-003 only
            app = dt.date(2026, 1, 1) + dt.timedelta(days=r.randint(1, 60))
        sex = r.choice("12")
        sn, sk = r.choice(SURNAMES)
        gn, gk = r.choice(MALE if sex == "1" else FEMALE)
        sep = r.choices(["\u3000", " ", ""], [8, 1, 1])[0]
        birth, age = self.person(app)
        city, postal, area, romaji = r.choice(PLACES)
        town = r.choice(TOWNS)
        address = "%s%s%s丁目%d番%d号" % (city, town, r.choice(KANJI_NUM), r.randint(1, 30), r.randint(1, 40))
        if r.random() < 0.35:
            address += " " + r.choice(BUILDINGS).format(s=sn, t=town) + "%d%02d号室" % (r.randint(1, 12), r.randint(1, 15))
        a = {
            "nameKana": sk + sep + gk,
            "name": sn + sep + gn,
            "sex": sex if r.random() < 0.85 else None,
            "birthDate": iso(birth),
            "age": str(age),
            "postalCode": postal + "-" + self.digits(4) if r.random() < 0.9 else None,
            "address": address,
            "email": None, "phone": None, "fax": None, "mobile": None,
        }
        if r.random() < 0.45:
            user = r.choice(["{g}.{s}", "{s}{y}", "{g}{s}", "{s}_{g}"]).format(
                g=r.choice(["k", "m", "t", "h", "y", "s", "a"]), s=romaji, y=birth.year % 100)
            a["email"] = user + "@" + r.choice(["example.jp", "example.ne.jp", "example.com", "mail.example.or.jp"])
        contact = r.random()
        if contact < 0.45:
            a["phone"], a["mobile"] = self.phone(area), self.mobile()
        elif contact < 0.75:
            a["mobile"] = self.mobile()
        else:
            a["phone"] = self.phone(area)
        if a["phone"] and r.random() < 0.2:
            a["fax"] = self.phone(area)
        doc = {
            "applicationDate": iso(app),
            "controlNumber": "%d-%04d" % (app.year, r.randint(1, 9999)) if r.random() < 0.6 else None,
            "desiredCourse": r.choice(COURSES),
            "applicant": a,
            "helloWorkCard": None,
        }
        if r.random() < 0.85:
            hw = {"issueDate": None, "jobSeekerNumber": None}
            if r.random() < 0.8:
                hw["issueDate"] = iso(app - dt.timedelta(days=r.randint(0, 400)))
            if r.random() < 0.95 or hw["issueDate"] is None:
                hw["jobSeekerNumber"] = {"office": "%02d%03d" % (r.randint(1, 47), r.randint(0, 999)),
                                         "serial": self.digits(r.randint(1, 8))}
            doc["helloWorkCard"] = hw
        doc["statusBeforeCourse"] = self.status(sn, town)
        doc["unemploymentInsurance"] = r.choice("12") if r.random() < 0.7 else None
        if r.random() < 0.75:
            if r.random() < 0.7:
                doc["pension"] = {"receiving": "1", "kind": sorted(r.sample("123", r.randint(1, 2)))}
            else:
                doc["pension"] = {"receiving": "2", "kind": []}
        else:
            doc["pension"] = None
        doc["experiencedJobs"] = [self.job() for _ in range(r.randint(1, 3))] if r.random() < 0.8 else None
        if r.random() < 0.7:
            lic = sorted(r.sample("1234567", r.randint(0, 3)))
            doc["licenses"] = {"license": lic, "otherText": r.choice(LICENSE_OTHER) if "7" in lic else None}
        else:
            doc["licenses"] = None
        doc["desiredJobs"] = [self.job() for _ in range(r.randint(1, 3))] if r.random() < 0.75 else None
        doc["desiredIncome"] = r.choice("1234") if r.random() < 0.7 else None
        doc["desiredHours"] = self.hours() if r.random() < 0.8 else None
        if r.random() < 0.7:
            cityname = re.sub("^.+?[都道府県]", "", city)
            doc["desiredWorkplaces"] = [w.format(city=cityname) for w in r.sample(WORKPLACES, r.randint(1, 2))]
        else:
            doc["desiredWorkplaces"] = None
        if r.random() < 0.7:
            wt = r.choices("123", [6, 3, 1])[0]
            dw = {"workType": wt, "employmentTerm": None, "partTime": None, "dispatch": None}
            if wt == "1":
                # JK-014: employment needs its term; part-time or not is
                # given for regular and temporary terms, and only for them.
                dw["employmentTerm"] = r.choice("123")
                dw["partTime"] = r.choice(["true", "false"]) if dw["employmentTerm"] != "3" else None
                dw["dispatch"] = r.choice("12") if r.random() < 0.2 else None
            doc["desiredWorkType"] = dw
        else:
            doc["desiredWorkType"] = None
        if r.random() < 0.8:
            code = r.choice("12334")
            doc["trigger"] = {"code": code, "otherText": r.choice(TRIGGER_OTHER) if code == "4" else None}
        else:
            doc["trigger"] = None
        doc["motivation"] = (r.choice(MOTIVES) + r.choice(MOTIVE_ENDS)) if r.random() < 0.6 else None
        doc["futurePlans"] = r.choice(PLANS) if r.random() < 0.5 else None
        if r.random() < 0.5:
            code = r.choice("1234567")
            doc["urgency"] = {"code": code, "otherText": r.choice(URGENCY_OTHER) if code == "7" else None}
        else:
            doc["urgency"] = None
        c = r.random()
        if c < 0.8:
            doc["consent"] = {"date": iso(app + dt.timedelta(days=r.choice([0, 0, 0, 1, 3, 7]))), "signature": a["name"]}
        elif c < 0.85:
            doc["consent"] = {"date": iso(app), "signature": None}
        else:
            doc["consent"] = None
        return doc

    def status(self, surname, town):
        r = self.r
        s = {k: None for k in ("situation", "workType", "employmentTerm", "partTime", "dispatch", "workKind",
                               "industryCode", "employerName")}
        if r.random() < 0.55:
            s["situation"] = "1"
            return s
        s["situation"] = "2"
        wt = r.choices("123", [6, 2, 2])[0]
        s["workType"] = wt
        if wt == "1":
            s["employmentTerm"] = r.choices("123", [5, 4, 1])[0]
            if s["employmentTerm"] != "3":  # JK-005: required for regular and temporary
                s["partTime"] = r.choice(["true", "false"])
            if r.random() < 0.25:
                s["dispatch"] = r.choice("12")
            s["employerName"] = r.choice(COMPANIES).format(s=surname, t=town)
            if r.random() < 0.5:
                s["industryCode"] = r.choice(INDUSTRIES)
        elif wt == "2":
            s["workKind"] = r.choice("12")
            s["employerName"] = (town + "シルバー人材センター") if s["workKind"] == "1" else ("NPO法人" + town + "まちづくりの会")
        else:
            if r.random() < 0.85:  # otherwise warning JK-013
                s["industryCode"] = r.choice(INDUSTRIES)
            if r.random() < 0.9:
                s["employerName"] = r.choice(SELF_EMPLOYED).format(s=surname)
        return s

    def hours(self):
        r = self.r
        h = {"fromHour": None, "toHour": None, "hoursPerDay": None, "daysPerWeek": None, "anyHours": None}
        if r.random() < 0.15:
            h["anyHours"] = "true"
            return h
        if r.random() < 0.7:
            f = r.choice([5, 6, 7, 8, 9, 9, 9, 10, 13, 17, 22])
            h["fromHour"], h["toHour"] = str(f), str((f + r.choice([3, 4, 5, 6, 7, 8])) % 24)
        if r.random() < 0.7:
            h["hoursPerDay"] = str(r.choice([3, 4, 5, 6, 6, 7, 8]))
        if r.random() < 0.7:
            h["daysPerWeek"] = str(r.choice([2, 3, 3, 4, 5]))
        if not any(h.values()) or r.random() < 0.2:
            h["anyHours"] = "false"
        return h

    # --- defects -----------------------------------------------------------
    def defect(self, doc, kind):
        r = self.r
        a = doc["applicant"]
        app = dt.date.fromisoformat(doc["applicationDate"])
        st = doc["statusBeforeCourse"]
        rule, v = kind

        def hello():
            if doc["helloWorkCard"] is None or doc["helloWorkCard"]["jobSeekerNumber"] is None:
                doc["helloWorkCard"] = {"issueDate": None,
                                        "jobSeekerNumber": {"office": "13040", "serial": "5812347"}}
            return doc["helloWorkCard"]

        def employed():
            st.update(situation="2", workType="1", employmentTerm="1", partTime="false", dispatch=None, workKind=None,
                      employerName="株式会社テスト商事")

        if v == "age+1":
            a["age"] = str(int(a["age"]) + 1)
        elif v == "age-1":
            a["age"] = str(int(a["age"]) - 1)
        elif v == "under55":
            age = r.randint(50, 54)
            on = app.toordinal() - age * 365 - age // 4 - r.randint(0, 360)
            birth = dt.date.fromordinal(on)
            a["birthDate"], a["age"] = iso(birth), str(age_on(birth, app))
            if age_on(birth, app) >= 55:
                raise AssertionError("under55")
        elif v == "issue-after":
            hello()["issueDate"] = iso(app + dt.timedelta(days=r.randint(1, 30)))
        elif v == "consent-before":
            doc["consent"] = {"date": iso(app - dt.timedelta(days=r.randint(1, 30))), "signature": a["name"]}
        elif v == "working-no-worktype":
            for k in st:
                st[k] = None
            st.update(situation="2", employerName="株式会社テスト商事")
        elif v == "not-working-employer":
            for k in st:
                st[k] = None
            st.update(situation="1", employerName="株式会社前職工業")
        elif v == "employed-no-term":
            employed()
            st["employmentTerm"] = None
        elif v == "parttime-day-labour":
            employed()
            st.update(employmentTerm="3", partTime="true")
        elif v == "work-no-kind":
            employed()
            st.update(workType="2", employmentTerm=None, employerName="シルバー人材センター")
        elif v == "employed-workkind":
            employed()
            st["workKind"] = "1"
        elif v == "no-employer":
            employed()
            st["employerName"] = None
        elif v == "self-dispatch":
            employed()
            st.update(workType="3", employmentTerm=None, dispatch="1", industryCode="58")
        elif v == "kind-not-receiving":
            doc["pension"] = {"receiving": "2", "kind": ["1"]}
        elif v == "receiving-no-kind":
            doc["pension"] = {"receiving": "1", "kind": []}
        elif v == "license-7":
            doc["licenses"] = {"license": ["1", "7"], "otherText": None}
        elif v == "trigger-4":
            doc["trigger"] = {"code": "4", "otherText": None}
        elif v == "urgency-7":
            doc["urgency"] = {"code": "7", "otherText": None}
        elif v == "unknown-code":
            code = r.choice(sorted({"%03d" % n for n in range(1000)} - OCC_CODES))
            jobs = doc["desiredJobs"] or [self.job()]
            jobs[r.randrange(len(jobs))] = {"title": "事務所での経理補助", "occupationCode": code}
            doc["desiredJobs"] = jobs
        elif v == "postal-no-hyphen":
            a["postalCode"] = "164" + self.digits(4)
        elif v == "phone-9-digits":
            a["phone"] = "03-1234-" + self.digits(3)
        elif v == "phone-12-digits":
            a["phone"] = "03-1234-" + self.digits(6)
        elif v == "phone-no-0":
            a["phone"] = "3-3387-" + self.digits(5)
        elif v == "mobile-double-hyphen":
            a["mobile"] = "090--" + self.digits(4) + "-" + self.digits(4)
        elif v == "email-no-dot":
            a["email"] = "k.yamamoto@localhost"
        elif v == "email-space":
            a["email"] = "k yamamoto@example.jp"
        elif v == "office-4":
            hello()["jobSeekerNumber"]["office"] = self.digits(4)
        elif v == "serial-9":
            hello()["jobSeekerNumber"]["serial"] = self.digits(9)
        elif v == "no-phone-no-mobile":
            a["phone"], a["mobile"] = None, None
            a["fax"] = "03-3387-2452"
        elif v in ("from-eq-to", "from-only", "hours-0", "days-0", "any-with-hours"):
            h = {"fromHour": None, "toHour": None, "hoursPerDay": None, "daysPerWeek": None, "anyHours": None}
            if v == "from-eq-to":
                h.update(fromHour="9", toHour="9")
            elif v == "from-only":
                h.update(fromHour="9", hoursPerDay="6")
            elif v == "hours-0":
                h.update(hoursPerDay="0", daysPerWeek="3")
            elif v == "days-0":
                h.update(hoursPerDay="4", daysPerWeek="0")
            else:
                h.update(hoursPerDay="6", anyHours="true")
            doc["desiredHours"] = h
        elif v == "hiragana":
            a["nameKana"] = "".join(HIRA.get(c, c) for c in a["nameKana"])
        elif v == "kanji":
            a["nameKana"] = a["name"]
        elif v == "romaji":
            a["nameKana"] = "Yamamoto Kazuhiko"
        elif v == "sex-3":
            a["sex"] = "3"
        elif v == "bad-date":
            a["birthDate"] = a["birthDate"][:5] + "02-30"
        elif v == "no-course":
            doc["desiredCourse"] = None
        else:
            raise ValueError(kind)


def el(out, ind, name, value):
    if value is not None:
        out.append("%s<%s>%s</%s>\n" % (ind, name, escape(value), name))


def serialize(doc):
    o = ['<?xml version="1.0" encoding="UTF-8"?>\n<courseApplication formId="jukou-moushikomi" formVersion="1.0">\n']
    i1, i2, i3, i4 = "  ", "    ", "      ", "        "
    el(o, i1, "applicationDate", doc["applicationDate"])
    el(o, i1, "controlNumber", doc["controlNumber"])
    el(o, i1, "desiredCourse", doc["desiredCourse"])
    o.append(i1 + "<applicant>\n")
    for k, v in doc["applicant"].items():
        el(o, i2, k, v)
    o.append(i1 + "</applicant>\n")
    hw = doc["helloWorkCard"]
    if hw:
        o.append(i1 + "<helloWorkCard>\n")
        el(o, i2, "issueDate", hw["issueDate"])
        if hw["jobSeekerNumber"]:
            o.append(i2 + "<jobSeekerNumber>\n")
            el(o, i3, "office", hw["jobSeekerNumber"]["office"])
            el(o, i3, "serial", hw["jobSeekerNumber"]["serial"])
            o.append(i2 + "</jobSeekerNumber>\n")
        o.append(i1 + "</helloWorkCard>\n")
    o.append(i1 + "<statusBeforeCourse>\n")
    for k, v in doc["statusBeforeCourse"].items():
        el(o, i2, k, v)
    o.append(i1 + "</statusBeforeCourse>\n")
    el(o, i1, "unemploymentInsurance", doc["unemploymentInsurance"])
    if doc["pension"]:
        o.append(i1 + "<pension>\n")
        el(o, i2, "receiving", doc["pension"]["receiving"])
        for k in doc["pension"]["kind"]:
            el(o, i2, "kind", k)
        o.append(i1 + "</pension>\n")

    def jobs(name, lst):
        if lst:
            o.append("%s<%s>\n" % (i1, name))
            for j in lst:
                o.append(i2 + "<job>\n")
                el(o, i3, "title", j["title"])
                el(o, i3, "occupationCode", j["occupationCode"])
                o.append(i2 + "</job>\n")
            o.append("%s</%s>\n" % (i1, name))

    jobs("experiencedJobs", doc["experiencedJobs"])
    if doc["licenses"]:
        o.append(i1 + "<licenses>\n")
        for k in doc["licenses"]["license"]:
            el(o, i2, "license", k)
        el(o, i2, "otherText", doc["licenses"]["otherText"])
        o.append(i1 + "</licenses>\n")
    jobs("desiredJobs", doc["desiredJobs"])
    el(o, i1, "desiredIncome", doc["desiredIncome"])
    for name in ("desiredHours",):
        if doc[name]:
            o.append("%s<%s>\n" % (i1, name))
            for k, v in doc[name].items():
                el(o, i2, k, v)
            o.append("%s</%s>\n" % (i1, name))
    if doc["desiredWorkplaces"]:
        o.append(i1 + "<desiredWorkplaces>\n")
        for w in doc["desiredWorkplaces"]:
            el(o, i2, "workplace", w)
        o.append(i1 + "</desiredWorkplaces>\n")
    for name in ("desiredWorkType", "trigger"):
        if doc[name]:
            o.append("%s<%s>\n" % (i1, name))
            for k, v in doc[name].items():
                el(o, i2, k, v)
            o.append("%s</%s>\n" % (i1, name))
    el(o, i1, "motivation", doc["motivation"])
    el(o, i1, "futurePlans", doc["futurePlans"])
    for name in ("urgency", "consent"):
        if doc[name]:
            o.append("%s<%s>\n" % (i1, name))
            for k, v in doc[name].items():
                el(o, i2, k, v)
            o.append("%s</%s>\n" % (i1, name))
    o.append("</courseApplication>\n")
    return "".join(o)


def main(argv):
    seed, bad_rate = 20260101, 0.10
    while argv and argv[0].startswith("--"):
        opt, val, argv = argv[0], argv[1], argv[2:]
        if opt == "--seed":
            seed = int(val)
        elif opt == "--bad-rate":
            bad_rate = float(val)
        else:
            sys.exit(__doc__)
    if len(argv) != 2:
        sys.exit(__doc__)
    n, outdir = int(argv[0]), argv[1]
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith(".xml"):
            os.remove(os.path.join(outdir, f))
    g = Gen(seed)
    width = max(5, len(str(n - 1)))
    manifest = []
    for i in range(n):
        doc = g.record(i)
        kind = None
        if g.r.random() < bad_rate:
            kind = g.r.choice(DEFECTS)
            g.defect(doc, kind)
        name = "a%0*d.xml" % (width, i)
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(serialize(doc))
        manifest.append("%s\t%s\n" % (name, "%s:%s" % kind if kind else "-"))
    with open(os.path.join(outdir, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("file\tdefect\n")
        f.writelines(manifest)


if __name__ == "__main__":
    main(sys.argv[1:])
