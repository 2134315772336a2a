"""ISO 4217 currency codes an order may carry. Standard library only: the Flink env imports it.

Kept in the repo, not fetched: the contract must validate offline and identically everywhere.
The set is ISO 4217 List One (circulating currencies, 2025 edition). Left out on purpose: fund
codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals (XAU, XAG, XPD, XPT), SDR
(XDR, XSU, XUA) and the test codes XTS/XXX — nobody pays for an order in those. ANG and ZWL stay
accepted while their successors (XCG, ZWG) phase them in.
"""

from __future__ import annotations

_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
"""

ISO_4217: frozenset[str] = frozenset(_CODES.split())
